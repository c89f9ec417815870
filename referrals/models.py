"""Models of the referrals app (built in its own issue)."""

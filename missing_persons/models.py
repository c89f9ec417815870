"""Models of the missing_persons app (built in its own issue)."""

"""Models of the strategy app (built in its own issue)."""

"""Models of the disclosures app (built in its own issue)."""

"""`make drills`: notification fault drills on a real worker, Redis, PostgreSQL and SMTP sink (README)."""

"""Pages of the police disclosure team: the queue (queue.py) and intake (intake.py), the application and its
actions (application.py), the research package (package.py). Agencies at a multi-agency forum see
the application's summary only."""

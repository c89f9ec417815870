"""Information requests to partner agencies, a wing of the referrals app: asking agencies about a
referral (the fan-out and its grants), the agency inbox, answering (graded entries, submission,
addenda), withdrawal, the collation of every answer, reminders and escalation.

The layout of the other apps: ``services`` (every write), ``selectors`` (every read, for an acting
user), ``forms`` and ``views`` (the pages, ``urls``), ``api`` (``inputs``, ``output``, ``views``;
``api_urls``).
"""

"""Signals other apps listen to without referrals importing them."""

from django.dispatch import Signal

# Sent inside the transaction when partner agencies are asked about a referral:
# ``referral`` and ``agencies`` (the agencies just asked). Missing-person episodes attached to the
# referral are shown to them this way.
agencies_asked = Signal()

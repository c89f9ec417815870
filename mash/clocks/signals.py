"""The cached working hours go stale when a working pattern is saved or deleted (mash/clocks/hours.py),
however that happens: the admin, the shell, a test."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from mash.clocks.hours import working_pattern_changed
from mash.clocks.models import WorkingPattern


@receiver(post_save, sender=WorkingPattern, dispatch_uid="clocks.pattern_saved")
@receiver(post_delete, sender=WorkingPattern, dispatch_uid="clocks.pattern_deleted")
def _pattern_changed(sender, **kwargs):
    working_pattern_changed()

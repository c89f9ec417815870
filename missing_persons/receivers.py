"""When partner agencies are asked about a referral, they see the missing episodes attached to it."""

from mash.sharing.services import grant_view
from missing_persons.models import Episode


def grant_attached_episodes(sender, referral, agencies, **kwargs) -> None:
    for episode in Episode.objects.filter(referral=referral):
        for agency in agencies:
            grant_view(obj=episode, agency=agency)

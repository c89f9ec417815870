"""The records under a missing episode, for information governance's trail of a record
(mash/sharing/trails/children.py): a query for each kind of child."""

from mash.sharing.trails import ids_of, register_children
from missing_persons import models


def episode_children(episode):
    yield ids_of(models.RiskGrading.objects.filter(episode=episode))
    yield ids_of(models.ReturnInterview.objects.filter(episode=episode))
    yield ids_of(models.EpisodeGroupObjectPermission.objects.filter(content_object=episode))


def register() -> None:
    register_children(models.Episode, episode_children)

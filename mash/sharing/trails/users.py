"""Finding the user whose trail information governance wants."""

from django.contrib.auth import get_user_model
from django.db.models import Q


def trail_user_search(*, q: str = "", agency=None):
    """Users by name or user name (each word of ``q`` must match one of them), with their agency."""
    users = get_user_model().objects.select_related("membership__agency")
    for word in q.split():
        users = users.filter(
            Q(username__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
        )
    if agency is not None:
        users = users.filter(membership__agency=agency)
    return users.order_by("last_name", "first_name", "username", "pk")

from django.db.models import Q, QuerySet
from django.utils import timezone

from mash.tokens.models import ApiToken


def tokens_for(user) -> QuerySet[ApiToken]:
    """The user's own tokens that still work, the newest first."""
    return ApiToken.objects.filter(user=user).filter(Q(expiry__isnull=True) | Q(expiry__gt=timezone.now()))

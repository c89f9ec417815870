"""Creating and revoking API tokens. A token is shown once, in the value this returns; only its
digest and prefix are stored."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from knox.settings import knox_settings

from mash.tokens.models import ApiToken
from mash.tokens.selectors import tokens_for

MAX_TOKENS_PER_USER = 10


@transaction.atomic
def api_token_create(*, user, name: str, ttl: timedelta | None = None) -> tuple[ApiToken, str]:
    """Make a token for ``user``; returns the record and the token itself, which is never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Say what the token is for."})
    if not user.is_active:
        raise ValidationError("An inactive user cannot have an API token.")
    if tokens_for(user).count() >= MAX_TOKENS_PER_USER:
        raise ValidationError(f"You have {MAX_TOKENS_PER_USER} tokens: revoke one you no longer use first.")
    ApiToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
    token = ApiToken(user=user, name=name)
    token.full_clean(exclude=["digest", "token_key"])
    return ApiToken.objects.create(user=user, name=name, expiry=ttl or knox_settings.TOKEN_TTL)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by) -> None:
    """Revoke a token: only its owner (or the admin, through the admin site) may."""
    if token.user_id != by.pk:
        raise ValidationError("You may revoke only your own tokens.")
    token.delete()

"""Sign-in services: the event log, the second factor (enrol, verify, reset) and ending sessions.

Every write goes through here, in a transaction, with ``full_clean()`` first (README: services).
"""

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mash.accounts.models import SignedInSession, SignInEvent, SignInEventKind

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
WRONG_CODE = "The code is not right. Check your authenticator app, or use one of your recovery codes."
TOO_SOON = (
    "Too many wrong codes in a row: each one makes the next try wait longer. "
    "Wait a few seconds, then enter the code your app shows now."
)


def _client_address(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _user_agent(request) -> str:
    if request is None:
        return ""
    return (request.META.get("HTTP_USER_AGENT") or "")[:300]


def sign_in_event_record(
    *, event: str, request=None, user=None, username: str = "", by=None, detail: str = ""
) -> SignInEvent:
    """Record one sign-in step (the one way rows reach the sign-in event log)."""
    if user is not None and not username:
        username = user.get_username()
    row = SignInEvent(
        event=event,
        user=user,
        username=(username or "")[:150],
        by=by,
        ip_address=_client_address(request),
        user_agent=_user_agent(request),
        detail=detail[:200],
    )
    row.full_clean()
    with transaction.atomic():
        row.save()
    return row


# --- sessions -------------------------------------------------------------------------------------


def session_track(*, user, session_key: str | None) -> None:
    """Remember that the stored session ``session_key`` is ``user``'s (so it can be ended)."""
    if not session_key or not Session.objects.filter(pk=session_key).exists():
        return
    with transaction.atomic():
        SignedInSession.objects.update_or_create(session_id=session_key, defaults={"user": user})


def sessions_end_for(*, user) -> int:
    """End every stored session of ``user``; return how many there were."""
    with transaction.atomic():
        keys = list(SignedInSession.objects.filter(user=user).values_list("session_id", flat=True))
        deleted = Session.objects.filter(pk__in=keys).delete()[1].get(Session._meta.label, 0)
    return deleted


def sessions_end_recorded(*, user, detail: str, by=None, request=None) -> int:
    ended = sessions_end_for(user=user)
    if not ended:
        return 0  # nothing to record: the user was signed in nowhere
    sign_in_event_record(
        event=SignInEventKind.SESSIONS_ENDED,
        user=user,
        by=by,
        request=request,
        detail=f"{detail}: {ended} session{'s' if ended != 1 else ''} ended",
    )
    return ended


# --- the second factor ----------------------------------------------------------------------------


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_enrolment_device(*, user) -> TOTPDevice:
    """The unconfirmed authenticator-app device the enrolment page shows (made once, then reused)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
        device.full_clean()
        with transaction.atomic():
            device.save()
    return device


def _normalise(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def _is_totp_code(code: str) -> bool:
    return code.isdigit() and len(code) in (6, 8)


def second_factor_enrol(*, user, device: TOTPDevice, code: str, request=None) -> tuple[TOTPDevice, list[str]]:
    """Confirm ``device`` with a code from it; make new recovery codes. Returns the device and codes.

    Raises ValidationError for a wrong code (and records the failure)."""
    code = _normalise(code)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
        waiting = not device.verify_is_allowed()[0]
        accepted = _is_totp_code(code) and device.verify_token(code)
        codes = []
        if accepted:
            device.confirmed = True
            device.full_clean()
            device.save()
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            codes = recovery_codes_replace(user=user)
            sign_in_event_record(event=SignInEventKind.SECOND_FACTOR_ENROLLED, user=user, request=request)
    if not accepted:
        # Outside the transaction above: the device's throttle counter is kept.
        sign_in_event_record(
            event=SignInEventKind.SECOND_FACTOR_FAILED, user=user, request=request, detail="enrolment"
        )
        raise ValidationError({"code": TOO_SOON if waiting else WRONG_CODE})
    return device, codes


def recovery_codes_replace(*, user) -> list[str]:
    """Replace the user's recovery codes with new single-use ones; return them (shown once)."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice(user=user, name=RECOVERY_NAME, confirmed=True)
        device.full_clean()
        device.save()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def second_factor_verify(*, user, code: str, request=None):
    """The user's confirmed device that accepts ``code`` (a TOTP code or a recovery code, used up).

    Raises ValidationError for a wrong code (and records the failure)."""
    code = _normalise(code)
    model = TOTPDevice if _is_totp_code(code) else StaticDevice
    device = None
    waiting = False
    if code:
        for candidate in model.objects.devices_for_user(user, confirmed=True):
            waiting = waiting or not candidate.verify_is_allowed()[0]
            device = verify_token(user, candidate.persistent_id, code)
            if device is not None:
                break
    if device is None:
        sign_in_event_record(
            event=SignInEventKind.SECOND_FACTOR_FAILED,
            user=user,
            request=request,
            detail="recovery code" if model is StaticDevice else "authenticator app",
        )
        raise ValidationError({"code": TOO_SOON if waiting else WRONG_CODE})
    if isinstance(device, StaticDevice):
        left = device.token_set.count()
        detail = f"with a recovery code ({left} left)"
    else:
        detail = "with the authenticator app"
    sign_in_event_record(event=SignInEventKind.SIGNED_IN, user=user, request=request, detail=detail)
    return device


def second_factor_reset(*, user, by, request=None) -> int:
    """Delete the user's second factor (they enrol again at their next sign-in) and end their sessions.

    Returns how many sessions were ended."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        ended = sessions_end_for(user=user)
        sign_in_event_record(
            event=SignInEventKind.SECOND_FACTOR_RESET,
            user=user,
            by=by,
            request=request,
            detail=f"{ended} session{'s' if ended != 1 else ''} ended",
        )
    return ended


def user_for_username(username: str):
    if not username:
        return None
    User = get_user_model()
    return User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()

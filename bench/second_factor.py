"""The benchmark's users sign in with both factors, as every user does: each has a confirmed TOTP
device (made once in the benchmark database) and its sessions carry it, as django_otp.login leaves them."""

from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from mash.accounts.middleware import mark_device_checked
from mash.accounts.signals import IDLE_KEY


def device_id(user) -> str:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Benchmark", confirmed=True)
    return device.persistent_id


def verify(session, user) -> None:
    """Mark ``session`` (not saved here) as passed the second factor with the user's device."""
    session[DEVICE_ID_SESSION_KEY] = device_id(user)
    session[IDLE_KEY] = int(timezone.now().timestamp())
    mark_device_checked(session)

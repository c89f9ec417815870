"""The second factor in tests: real devices, real codes, real verified sessions (no mock of the check).

- ``confirmed_device(user)``: the user's authenticator-app device (made, confirmed, when missing).
- ``totp_code(device)``: the code the user's app would show now, computed from the device's key with
  django-otp's own TOTP; a later step when the current one was used already (a code works once).
- ``Client`` / ``APIClient``: ``force_login`` also verifies the session with the user's device, as
  the second-factor page does after a code (``django_otp.login``), so every page and session API call
  opens as for a user who signed in with both factors.
"""

import django.test
import rest_framework.test
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from mash.accounts.middleware import mark_device_checked


def confirmed_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return device


def code_for_key(key: bytes, *, step: int = 30, t0: int = 0, digits: int = 6, drift: int = 0) -> str:
    return str(TOTP(key, step, t0, digits, drift).token()).zfill(digits)


def totp_code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    now = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).t()
    wanted = max(now, device.last_t + 1)
    assert wanted <= now + device.tolerance, "three codes of one device in one time step"
    return code_for_key(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=device.drift + wanted - now,
    )


class SecondFactorLoginMixin:
    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        device = confirmed_device(user)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        mark_device_checked(session)  # as the second-factor page leaves it
        session.save()


class Client(SecondFactorLoginMixin, django.test.Client):
    pass


class APIClient(SecondFactorLoginMixin, rest_framework.test.APIClient):
    pass

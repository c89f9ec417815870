from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import models

from mash.common.dates import format_datetime


class SignInEventKind(models.TextChoices):
    PASSWORD_ACCEPTED = "password_accepted", "Password accepted"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    LOCKED_OUT = "locked_out", "Locked out"
    SIGNED_IN = "signed_in", "Signed in"
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled", "Second factor enrolled"
    SECOND_FACTOR_FAILED = "second_factor_failed", "Second factor failed"
    SECOND_FACTOR_RESET = "second_factor_reset", "Second factor reset"
    SIGNED_OUT = "signed_out", "Signed out"
    SESSION_TIMED_OUT = "session_timed_out", "Signed out after inactivity"
    SESSIONS_ENDED = "sessions_ended", "Every session ended"


class SignInEvent(models.Model):
    """One step of signing in or out, for information governance. Append-only."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    event = models.CharField(max_length=32, choices=SignInEventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField("username tried", max_length=150, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who acted, when it was not the user (an administrator's reset).",
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "-at"], name="accounts_signin_user")]

    def __str__(self) -> str:
        return f"{self.username or '-'} {self.get_event_display().lower()} at {format_datetime(self.at)}"


class SignedInSession(models.Model):
    """Which user a stored session belongs to, so that every session of a user can be ended."""

    session = models.OneToOneField(Session, primary_key=True, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} ({format_datetime(self.created_at)})"

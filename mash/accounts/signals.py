"""Security plumbing on Django's and django-axes' signals: the sign-in event log, the absolute session
limit, the session register, and ending a user's sessions when their password changes or they are
deactivated (however that happens: the admin, a service or the shell)."""

from datetime import timedelta

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from mash.accounts import services
from mash.accounts.models import SignInEventKind

IDLE_KEY = "mash_last_seen"
SIGN_OUT_EVENT = "_mash_sign_out_event"


@receiver(user_logged_in, dispatch_uid="accounts.signed_in")
def _on_password_accepted(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    # The absolute limit: a fixed expiry from the sign-in, never slid forward by later requests.
    request.session.set_expiry(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE))
    request.session[IDLE_KEY] = int(timezone.now().timestamp())
    services.session_track(user=user, session_key=request.session.session_key)
    services.sign_in_event_record(event=SignInEventKind.PASSWORD_ACCEPTED, user=user, request=request)


@receiver(user_login_failed, dispatch_uid="accounts.sign_in_failed")
def _on_sign_in_failed(sender, credentials, request=None, **kwargs):
    if getattr(request, "axes_locked_out", False):
        return  # recorded as a lockout below
    username = (credentials or {}).get(get_user_model().USERNAME_FIELD) or ""
    services.sign_in_event_record(
        event=SignInEventKind.SIGN_IN_FAILED,
        user=services.user_for_username(username),
        username=username,
        request=request,
    )


@receiver(user_locked_out, dispatch_uid="accounts.locked_out")
def _on_locked_out(sender, request, username, ip_address, **kwargs):
    services.sign_in_event_record(
        event=SignInEventKind.LOCKED_OUT,
        user=services.user_for_username(username or ""),
        username=username or "",
        request=request,
    )


@receiver(user_logged_out, dispatch_uid="accounts.signed_out")
def _on_signed_out(sender, request, user, **kwargs):
    if user is None:
        return
    event = getattr(request, SIGN_OUT_EVENT, SignInEventKind.SIGNED_OUT)
    services.sign_in_event_record(event=event, user=user, request=request)


def _connect_user_signals():
    User = get_user_model()

    @receiver(pre_save, sender=User, weak=False, dispatch_uid="accounts.user_pre_save")
    def _note_what_ends_sessions(sender, instance, update_fields=None, **kwargs):
        instance._mash_end_sessions = None
        if instance.pk is None or kwargs.get("raw"):
            return
        if update_fields is not None and not {"password", "is_active"} & set(update_fields):
            return
        old = sender._default_manager.filter(pk=instance.pk).values("password", "is_active").first()
        if old is None:
            return
        if old["is_active"] and not instance.is_active:
            instance._mash_end_sessions = "deactivated"
        elif old["password"] != instance.password:
            instance._mash_end_sessions = "password changed"

    @receiver(post_save, sender=User, weak=False, dispatch_uid="accounts.user_post_save")
    def _end_sessions(sender, instance, created, **kwargs):
        reason = getattr(instance, "_mash_end_sessions", None)
        if reason:
            instance._mash_end_sessions = None
            services.sessions_end_recorded(user=instance, detail=reason)


_connect_user_signals()

import base64
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, resolve_url
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views import View
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login

from mash.accounts import selectors, services
from mash.accounts.forms import CodeForm, EnrolForm, SignInEventFilterForm
from mash.accounts.middleware import is_verified, mark_device_checked
from mash.accounts.signals import IDLE_KEY
from mash.common.forms import apply_validation_error
from mash.common.views import FilteredListView
from mash.sharing.views import GovernanceMixin

RECOVERY_CODES_KEY = "mash_recovery_codes"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, request) -> str:
    return f"{resolve_url(url_name)}?{urlencode({'next': _next_url(request)})}"


def _complete_sign_in(request, device) -> None:
    """The second factor passed: a new session key (the session now carries more trust), verified."""
    request.session.cycle_key()
    otp_login(request, device)
    mark_device_checked(request.session)
    request.session[IDLE_KEY] = int(timezone.now().timestamp())
    services.session_track(user=request.user, session_key=request.session.session_key)


class VerifyView(View):
    """The second step of signing in: a code from the authenticator app, or a recovery code."""

    template_name = "accounts/verify.html"

    def dispatch(self, request, *args, **kwargs):
        if is_verified(request.user):
            return redirect(_next_url(request))
        if not services.has_second_factor(request.user):
            return redirect(_with_next("accounts:enrol", request))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                device = services.second_factor_verify(
                    user=request.user, code=form.cleaned_data["code"], request=request
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                _complete_sign_in(request, device)
                return redirect(_next_url(request))
        return self.render(form, status=400)

    def render(self, form, status=200):
        context = {"form": form, "next": _next_url(self.request)}
        return TemplateResponse(self.request, self.template_name, context, status=status)


def _qr_svg(device) -> str:
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(scale=4, border=4, dark="#0b0c0c", light="#ffffff", omitsize=False)
    return mark_safe(svg)  # noqa: S308  (segno's own markup of our own key: no user input)


def _grouped_key(device) -> str:
    key = base64.b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


class EnrolView(View):
    """First sign-in: add the account to an authenticator app, confirm with a code, get recovery codes."""

    template_name = "accounts/enrol.html"

    def dispatch(self, request, *args, **kwargs):
        if services.has_second_factor(request.user):
            return redirect(_with_next("accounts:verify", request))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(EnrolForm())

    def post(self, request):
        form = EnrolForm(request.POST)
        device = services.second_factor_enrolment_device(user=request.user)
        if form.is_valid():
            try:
                device, codes = services.second_factor_enrol(
                    user=request.user, device=device, code=form.cleaned_data["code"], request=request
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                _complete_sign_in(request, device)
                request.session[RECOVERY_CODES_KEY] = codes
                return redirect(_with_next("accounts:recovery_codes", request))
        return self.render(form, status=400)

    def render(self, form, status=200):
        device = services.second_factor_enrolment_device(user=self.request.user)
        context = {
            "form": form,
            "next": _next_url(self.request),
            "qr_svg": _qr_svg(device),
            "key": _grouped_key(device),
            "issuer": getattr(settings, "OTP_TOTP_ISSUER", ""),
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)


class RecoveryCodesView(View):
    """The recovery codes made at enrolment, shown once (they leave the session as they are shown)."""

    def get(self, request):
        codes = request.session.pop(RECOVERY_CODES_KEY, None)
        if not codes:
            return redirect(_next_url(request))
        return TemplateResponse(
            request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
        )


def idle_seconds_left(request) -> int:
    if not request.user.is_authenticated:
        return 0
    last = request.session.get(IDLE_KEY)
    if last is None:
        return settings.SESSION_IDLE_TIMEOUT
    return max(0, settings.SESSION_IDLE_TIMEOUT - (int(timezone.now().timestamp()) - last))


@require_GET
@login_not_required
def session_status(request):
    """How long the session has left before the idle timeout; asking is not activity (the page script
    asks before it warns, so that a tab left open does not keep a session alive)."""
    return JsonResponse({"remaining": idle_seconds_left(request)})


@require_POST
@login_required
def keep_alive(request):
    """'Stay signed in': the request itself is the activity; the idle clock starts again."""
    request.session[IDLE_KEY] = int(timezone.now().timestamp())
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"idle_timeout": settings.SESSION_IDLE_TIMEOUT})
    return redirect(_next_url(request))


class SignInEventListView(GovernanceMixin, FilteredListView):
    template_name = "accounts/sign_in_events.html"
    context_object_name = "events"
    filter_form_class, selector = SignInEventFilterForm, selectors.sign_in_event_list

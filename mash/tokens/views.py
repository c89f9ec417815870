from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from knox.settings import knox_settings

from mash.tokens import services
from mash.tokens.forms import ApiTokenForm
from mash.tokens.selectors import tokens_for

TEMPLATE = "tokens/tokens.html"


def _page(request, form, *, created=None, token=None, status=200):
    context = {
        "form": form,
        "tokens": tokens_for(request.user),
        "created": created,
        "token": token,
        "ttl_hours": int(knox_settings.TOKEN_TTL.total_seconds() // 3600),
    }
    return render(request, TEMPLATE, context, status=status)


class ApiTokensView(LoginRequiredMixin, View):
    """The signed-in user's API tokens: make one (shown once, on this answer only), list them by
    prefix and expiry, revoke one."""

    def get(self, request):
        return _page(request, ApiTokenForm())

    def post(self, request):
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            try:
                created, token = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
            except ValidationError as exc:
                for field, errors in getattr(exc, "error_dict", {"__all__": exc.error_list}).items():
                    for error in errors:
                        form.add_error(None if field == "__all__" else field, error)
            else:
                return _page(request, ApiTokenForm(), created=created, token=token)
        return _page(request, form, status=400)


class ApiTokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        token = get_object_or_404(tokens_for(request.user), pk=pk)
        services.api_token_revoke(token=token, by=request.user)
        messages.success(request, f"Token {token.token_key} revoked.")
        return redirect("tokens:list")

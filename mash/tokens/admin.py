from django.contrib import admin

from mash.tokens.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens by their prefix: an administrator may see who holds which token and revoke it, never
    the token or its digest, and never makes one (a token is made by its holder, or for a service
    account by ``manage.py api_token_create``, and shown once)."""

    list_display = ("token_key", "name", "user", "created", "expiry")
    list_filter = ("expiry",)
    search_fields = ("token_key", "name", "user__username")
    fields = ("token_key", "name", "user", "created", "expiry")
    readonly_fields = fields
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

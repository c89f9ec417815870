from django.contrib.auth.mixins import AccessMixin

from mash.agencies.selectors import actor_for


class RoleRequiredMixin(AccessMixin):
    """A page for holders of one of ``roles`` (403 for anyone else, login first)."""

    roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not actor_for(request.user).has(*self.roles):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)

from collections.abc import Callable

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied

from mash.agencies.selectors import Actor, actor_for
from mash.common.navigation import everyone


class ActorRequiredMixin(AccessMixin):
    """A page for the actors ``allowed`` lets in (403 for anyone else, login first).

    ``allowed`` is a predicate of the app's policy, and the page's navigation link is registered with
    the same one (mash/common/navigation.py), so the link is shown exactly when the page opens. Set it
    with ``staticmethod``: ``allowed = staticmethod(policy.may_list_referrals)``.
    """

    allowed: Callable[[Actor], bool] = staticmethod(everyone)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.allowed(actor_for(request.user)):
            raise PermissionDenied(self.get_permission_denied_message())
        return super().dispatch(request, *args, **kwargs)

"""Who may see and retry the e-mails that could not be sent: the lead agency's MASH managers and
superusers (administrators). The failed list names recipients and subjects, never message bodies."""

from mash.agencies.roles import Role
from mash.agencies.selectors import actor_for
from mash.common.errors import require_role


def may_retry(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    actor = actor_for(user)
    return actor.is_lead and actor.has(Role.MASH_MANAGER)


def require_may_retry(user) -> None:
    require_role(may_retry(user), "Only the lead agency's MASH managers can retry failed notifications.")

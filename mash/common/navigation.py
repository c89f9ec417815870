"""The service navigation: the links of the header menu, each registered with who sees it.

Each app registers its pages' links (in its ``AppConfig.ready``) with the predicate that decides who
sees the link, and that predicate is the very function the page lets the actor in by (``allowed`` of
``mash.common.permissions.ActorRequiredMixin``, or the app's own mixin calling its policy). So a link is
shown exactly when its page opens: tests/common/test_navigation.py opens every registered page as every
member of the cast. The core holds the registry and the domain apps register into it, so the core never
imports them (tests/test_architecture.py).
"""

from collections.abc import Callable
from dataclasses import dataclass

from mash.agencies.selectors import Actor


@dataclass(frozen=True)
class Item:
    # What a page sets as ``nav`` in its context to show its link as the current one.
    key: str
    label: str
    url_name: str
    # Who sees the link: the same predicate the page uses to let them in.
    allowed: Callable[[Actor], bool]
    # Where the link goes in the menu, smallest first.
    order: int


_items: dict[str, Item] = {}


def register(*items: Item) -> None:
    for item in items:
        _items[item.key] = item


def items() -> list[Item]:
    """Every registered link, in menu order."""
    return sorted(_items.values(), key=lambda item: item.order)


def items_for(actor: Actor) -> list[Item]:
    """The links this actor sees."""
    return [item for item in items() if item.allowed(actor)]


def everyone(actor: Actor) -> bool:
    """A page for every signed-in user (what it lists is filtered by the sharing policy)."""
    return True

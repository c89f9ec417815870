"""Registries of information governance's pages (``/governance/``).

Each core app with a governance page (the audit trail, the dissemination log, subject access,
retention) registers it in its ``AppConfig.ready()``; the landing page lists them in order.

DPA 2018 s62 asks the log to tell collection, alteration, consultation, disclosure, combination and
erasure apart. The trail decides a change's category from its action (a creation is a collection, a
change an alteration...); a model whose rows *are* one of the others registers it here (for instance
the retention app's record of an erasure: its creation is an 'erasure').
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    title: str
    url_name: str
    description: str
    # Where it goes on the landing page, smallest first.
    order: int


class S62:
    COLLECTION = "collection"
    ALTERATION = "alteration"
    CONSULTATION = "consultation"
    DISCLOSURE = "disclosure"
    COMBINATION = "combination"
    ERASURE = "erasure"
    ALL = (COLLECTION, ALTERATION, CONSULTATION, DISCLOSURE, COMBINATION, ERASURE)


_pages: dict[str, Page] = {}
_s62_by_model: dict[str, str] = {}


def register_page(page: Page) -> Page:
    _pages[page.url_name] = page
    return page


def pages() -> list[Page]:
    return sorted(_pages.values(), key=lambda page: (page.order, page.title))


def register_s62_category(model_label: str, category: str) -> None:
    """The rows of ``model_label`` ('app_label.modelname', lower case) record ``category``."""
    if category not in S62.ALL:
        raise ValueError(f"{category!r} is not a DPA 2018 s62 category.")
    _s62_by_model[model_label.lower()] = category


def s62_category_of_model(model_label: str) -> str | None:
    return _s62_by_model.get(model_label.lower())

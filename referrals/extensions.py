"""Extension points of the referral page, for apps that build on referrals (strategy) without
referrals importing them: an app registers a panel and the referral page shows what it renders."""

from collections.abc import Callable

from django.http import HttpRequest

# A panel renders HTML for the referral page (the empty string when it has nothing to show).
ReferralPanel = Callable[[HttpRequest, object], str]

_panels: list[ReferralPanel] = []


def register_referral_panel(panel: ReferralPanel) -> ReferralPanel:
    if panel not in _panels:
        _panels.append(panel)
    return panel


def referral_panels(request: HttpRequest, referral) -> list[str]:
    return [html for panel in _panels if (html := panel(request, referral))]

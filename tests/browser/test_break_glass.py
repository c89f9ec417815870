"""Break-glass from the refused page to information governance's review and the access log."""

import re

import pytest
from playwright.sync_api import expect

from mash.agencies.roles import Role
from mash.sharing.models import AccessAction, AccessLog, BreakGlassAccess, ReviewStatus
from tests.browser.helpers import sign_in, sign_out
from tests.factories import member

pytestmark = pytest.mark.browser

REASON = "Strategy meeting tonight: police hold a report about this child's home."


@pytest.fixture
def application(cast, person):
    from disclosures import services
    from disclosures.models import PersonRole, Route, Scheme

    return services.application_create(
        by=cast.data_admin,
        scheme=Scheme.RIGHT_TO_KNOW,
        route=Route.POLICE,
        circumstances="Police hold a report about this child's home.",
        people=[
            services.PersonInput(role=PersonRole.SUBJECT, person=person),
            services.PersonInput(role=PersonRole.AT_RISK, person=person),
        ],
    )


def test_a_manager_opens_a_refused_application_by_break_glass_and_governance_reviews_it(
    page, cast, application
):
    # A disclosure application's rule lets a police MASH manager break glass (the team sees it already).
    police_manager = member(cast.police, Role.MASH_MANAGER, username="police.manager")
    sign_in(page, police_manager)

    response = page.goto(f"/disclosures/{application.pk}/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1, name="You cannot see this application")).to_be_visible()
    expect(page.get_by_text(application.reference)).to_have_count(0)

    page.get_by_role("button", name="Open by break-glass").click()
    expect(page.get_by_role("alert").get_by_role("link", name=re.compile(r"^Reason: \w"))).to_be_visible()
    expect(page.locator("#id_reason-error")).to_be_visible()
    assert not BreakGlassAccess.objects.exists()

    page.get_by_label("Reason", exact=True).fill(REASON)
    page.get_by_role("button", name="Open by break-glass").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(application.reference)
    expect(page.get_by_text("You opened this record by break-glass.")).to_be_visible()
    assert page.url.endswith(f"/disclosures/{application.pk}/")

    sign_out(page)
    sign_in(page, cast.governance)
    page.get_by_role("link", name="Break-glass reviews").click()
    expect(page.get_by_role("heading", level=1, name="Break-glass access awaiting review")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="police.manager")
    expect(row).to_contain_text(f"Application: {application.reference}")
    expect(row).to_contain_text(REASON)

    row.get_by_role("link", name="Review access by police.manager").click()
    expect(page.get_by_role("heading", level=1, name="Review break-glass access")).to_be_visible()
    page.get_by_role("group", name="Was the access justified?").get_by_label("Justified", exact=True).check()
    page.get_by_role("button", name="Record review").click()
    expect(page.get_by_role("alert")).to_contain_text("Review recorded.")
    expect(page.get_by_text("Nothing is awaiting review.")).to_be_visible()
    access = BreakGlassAccess.objects.get()
    assert (access.user, access.review_status, access.reviewed_by) == (
        police_manager,
        ReviewStatus.JUSTIFIED,
        cast.governance,
    )

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Governance").click()
    page.get_by_role("link", name="Access log").click()
    expect(page.get_by_role("heading", level=1, name="Access log")).to_be_visible()
    entry = page.get_by_role("row").filter(has_text="Opened by break-glass")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("police.manager (Constabulary)")
    expect(entry).to_contain_text(f"Application: {application.reference}")
    expect(entry).to_contain_text(REASON)
    assert AccessLog.objects.filter(user=police_manager, action=AccessAction.BREAK_GLASS).count() == 1

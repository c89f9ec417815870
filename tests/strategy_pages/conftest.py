"""Fixtures of the strategy page tests: those of the strategy service tests (tests/strategy/conftest.py),
and small helpers to post to the discussion page as the browser does."""

import pytest
from django.urls import reverse

from tests.strategy import conftest as strategy_conftest
from tests.strategy.support import every_child

gathering = strategy_conftest.gathering  # a red referral in information gathering
education = strategy_conftest.education  # an agency never invited
collated = strategy_conftest.collated  # the police and health answers in: awaiting a threshold decision
required = strategy_conftest.required  # a threshold decision that a discussion is required
convene = strategy_conftest.convene  # convene(**overrides): a discussion of the ``required`` referral
discussion = strategy_conftest.discussion  # convened now, by video, police and health invited


@pytest.fixture
def post_to(client):
    """``post_to(discussion, url_name, data, *args)``: post a form of the discussion page with the
    discussion's current version (as the page would have it), logged in as whoever the test chose."""

    def post(discussion, url_name, data=None, *args, version=None):
        discussion.refresh_from_db()
        payload = {"version": discussion.version if version is None else version, **(data or {})}
        return client.post(reverse(f"strategy:{url_name}", args=[discussion.pk, *args]), payload)

    return post


@pytest.fixture
def hold(cast, person):
    """``hold(discussion, attendance=..., decision=..., sign_off=True)``: record the meeting through the
    services (everyone attended unless ``attendance`` maps an agency to another value; the decision for
    the subject; the rationale) and sign it off."""
    from strategy import services

    def record(discussion, *, attendance=None, decision="s47_joint", sign_off=True):
        attendance = attendance or {}
        services.attendance_record(
            discussion=discussion,
            by=cast.decision_maker,
            attendance={i.pk: attendance.get(i.agency, "attended") for i in discussion.invitations.all()},
        )
        services.decisions_record(
            discussion=discussion,
            by=cast.decision_maker,
            decisions=every_child(discussion, decision, "Bruising."),
        )
        services.record_update(
            discussion=discussion,
            by=cast.decision_maker,
            notes="Police and health shared what they hold.",
            rationale="Significant harm is likely: a joint enquiry.",
        )
        if sign_off:
            services.discussion_sign_off(discussion=discussion, by=cast.decision_maker)
        discussion.refresh_from_db()
        return discussion

    return record

"""The whole of an application through the API: intake to a recorded disclosure and its dissemination."""

import pytest
from django.utils import timezone

from disclosures.models import Application, DisclosureRecord, Outcome, PackageStatus, ResearchPackage, Stage
from mash.sharing.models import Dissemination
from tests.disclosures_api.conftest import call, ok, url

pytestmark = pytest.mark.django_db


def post(api_client, user, name, pk, data):
    return call(api_client, user, "post", url(name, pk), data)


def test_a_right_to_ask_application_goes_from_intake_to_a_recorded_disclosure(api_client, cast, team, people):
    body = ok(
        call(
            api_client,
            team.admin,
            "post",
            url("api-disclosure-applications"),
            {
                "scheme": "dvds_ask",
                "route": "phone",
                "circumstances": "New partner; a friend says he was violent to his last partner.",
                "applicant_relation": "Herself: his partner",
                "people": [
                    {"role": "applicant", "person": people["applicant"].pk},
                    {"role": "at_risk", "person": people["applicant"].pk},
                    {
                        "role": "subject",
                        "given_name": "Mark",
                        "family_name": "Taylor",
                        "date_of_birth": "1985-02-03",
                    },
                ],
            },
        ),
        201,
    )
    application = Application.objects.get(pk=body["id"])
    assert (body["reference"], body["stage"], body["version"]) == (application.reference, "initial_checks", 1)
    assert [(p["role"], p["full_name"]) for p in body["people"]] == [
        ("applicant", "Sarah Jones"),
        ("at_risk", "Sarah Jones"),
        ("subject", "Mark Taylor"),
    ]
    assert body["people"][2]["date_of_birth"] == "1985-02-03"
    assert body["clocks"]["decision"]["stopped_at"] is None
    assert body["clocks"]["decision"]["breached"] is False
    assert body["clocks"]["meeting"] is None
    assert (body["packages"], body["decision"], body["disclosure"]) == ([], None, None)
    pk = application.pk

    body = ok(
        post(
            api_client,
            team.admin,
            "api-disclosure-application-initial-checks",
            pk,
            {"immediate_risk": False, "notes": "No risk now.", "version": 1},
        )
    )
    assert (body["stage"], body["immediate_risk"], body["version"]) == ("verification", False, 2)
    assert body["clocks"]["initial_checks"]["stopped_at"] is not None

    body = ok(
        post(
            api_client,
            team.admin,
            "api-disclosure-application-verification",
            pk,
            {"identity_method": "Passport seen", "meeting_at": timezone.now().isoformat(), "version": 2},
        )
    )
    assert (body["stage"], body["identity_verified"], body["identity_method"]) == (
        "research",
        True,
        "Passport seen",
    )

    body = ok(
        post(
            api_client,
            team.admin,
            "api-disclosure-application-researcher",
            pk,
            {"researcher": team.researcher.pk, "version": body["version"]},
        )
    )
    assert body["researcher"]["id"] == team.researcher.pk
    [row] = body["packages"]
    assert (row["number"], row["status"], row["researcher"]["id"]) == (1, "draft", team.researcher.pk)

    package = ok(call(api_client, team.researcher, "get", url("api-research-package", row["id"])))
    assert len(package["sections"]) == 9
    assert "summary" in package["completeness_problems"]
    for section in package["sections"]:
        if section["kind"] == "pnc":
            entry = ok(
                call(
                    api_client,
                    team.researcher,
                    "post",
                    url("api-research-package-entries", row["id"], section["id"]),
                    {
                        "source_system": "PNC",
                        "summary": "Convicted of assault on a former partner, 2021",
                        "information_date": "2021-06-01",
                        "source_evaluation": "1",
                        "intelligence_assessment": "A",
                        "handling_code": "P",
                    },
                ),
                201,
            )
            assert (entry["summary"], entry["version"], entry["security_marking"]) == (
                "Convicted of assault on a former partner, 2021",
                1,
                "official_sensitive",
            )
        else:
            body = ok(
                call(
                    api_client,
                    team.researcher,
                    "post",
                    url("api-research-package-section", row["id"], section["id"]),
                    {"nothing_found": True, "note": "Checked.", "version": section["version"]},
                )
            )
            assert (body["nothing_found"], body["checked_by"]["id"]) == (True, team.researcher.pk)
    package = ok(call(api_client, team.researcher, "get", url("api-research-package", row["id"])))
    assert list(package["completeness_problems"]) == ["summary"]
    package = ok(
        post(
            api_client,
            team.researcher,
            "api-research-package-summary",
            row["id"],
            {
                "summary": "One conviction for violence against a partner.",
                "version": package["summary_version"],
            },
        )
    )
    assert package["completeness_problems"] == {}
    package = ok(
        post(
            api_client,
            team.researcher,
            "api-research-package-submit",
            row["id"],
            {"version": package["version"]},
        )
    )
    assert (package["status"], package["submitted_by"]["id"]) == ("submitted", team.researcher.pk)

    body = ok(call(api_client, team.decision_maker, "get", url("api-disclosure-application", pk)))
    assert body["stage"] == "decision"
    body = ok(
        post(
            api_client,
            team.decision_maker,
            "api-disclosure-application-forum",
            pk,
            {"agencies": [cast.health.pk, cast.lead.pk], "version": body["version"]},
        )
    )
    assert body["forum_open"] is True

    body = ok(
        post(
            api_client,
            team.decision_maker,
            "api-disclosure-application-decision",
            pk,
            {
                "disclose": True,
                "lawful": "Common law power to disclose to prevent harm.",
                "necessary": "She is at risk of serious harm.",
                "proportionate": "Only the conviction is disclosed.",
                "wording": "Mark Taylor has a conviction for assaulting a former partner.",
                "recipient_name": "Sarah Jones",
                "forum_held_at": timezone.now().isoformat(),
                "forum_participants": "DS Smith (police), Dr Khan (health)",
                "forum_agencies": [cast.health.pk],
                "marac_referral": True,
                "version": body["version"],
            },
        )
    )
    assert (body["stage"], body["forum_open"]) == ("disclosure", False)
    decision = body["decision"]
    assert (decision["disclose"], decision["package_id"], decision["marac_referral"]) == (
        True,
        row["id"],
        True,
    )
    assert [a["id"] for a in decision["forum_agencies"]] == [cast.health.pk]
    assert body["clocks"]["decision"]["stopped_at"] is not None

    body = ok(
        post(
            api_client,
            team.decision_maker,
            "api-disclosure-application-disclosure",
            pk,
            {
                "disclosed_at": timezone.now().isoformat(),
                "place": "Ipswich police station",
                "recipient_name": "Sarah Jones",
                "recipient_relation": "Partner",
                "wording_used": "Mark Taylor has a conviction for assaulting a former partner.",
                "warning_given": True,
                "warning_acknowledged": True,
                "safety_plan": "Referred to the domestic abuse service; panic alarm fitted.",
                "version": body["version"],
            },
        )
    )
    assert (body["stage"], body["outcome"]) == ("closed", "disclosed")
    record = DisclosureRecord.objects.get(application_id=pk)
    assert body["disclosure"]["dissemination_id"] == record.dissemination_id
    assert body["disclosure"]["disclosed_by"]["id"] == team.decision_maker.pk
    dissemination = Dissemination.objects.get()
    assert dissemination == record.dissemination
    assert dissemination.recipient_name == "Sarah Jones"
    assert "Mark Taylor has a conviction" in dissemination.what
    application.refresh_from_db()
    assert (application.stage, application.outcome) == (Stage.CLOSED, Outcome.DISCLOSED)


def test_a_decision_not_to_disclose_closes_the_application(api_client, team, submitted):
    application = submitted.application
    application.refresh_from_db()
    body = ok(
        post(
            api_client,
            team.decision_maker,
            "api-disclosure-application-decision",
            application.pk,
            {
                "disclose": False,
                "lawful": "No pressing need.",
                "necessary": "Not necessary: no history of violence.",
                "proportionate": "Not proportionate.",
                "no_disclosure_reason": "Nothing relevant found.",
                "applicant_told": "Told there is no information to disclose.",
                "version": application.version,
            },
        )
    )
    assert (body["stage"], body["outcome"], body["disclosure"]) == ("closed", "not_disclosed", None)
    assert body["decision"]["no_disclosure_reason"] == "Nothing relevant found."
    assert not Dissemination.objects.exists()


def test_an_application_is_withdrawn(api_client, team, at_research):
    body = ok(
        post(
            api_client,
            team.admin,
            "api-disclosure-application-withdraw",
            at_research.pk,
            {"reason": "The applicant withdrew.", "version": at_research.version},
        )
    )
    assert (body["stage"], body["outcome"], body["closure_note"]) == (
        "closed",
        "withdrawn",
        "The applicant withdrew.",
    )


def test_a_returned_package_opens_the_next_version_and_keeps_the_first(api_client, team, submitted):
    body = ok(
        post(
            api_client,
            team.decision_maker,
            "api-research-package-return",
            submitted.pk,
            {"comments": "Check custody records again."},
        ),
        201,
    )
    assert (body["number"], body["status"], body["summary"]) == (2, "draft", submitted.summary)
    assert [e["summary"] for s in body["sections"] for e in s["entries"]] == [
        "Convicted of assault on a former partner, 2021"
    ]
    first = ok(call(api_client, team.decision_maker, "get", url("api-research-package", submitted.pk)))
    assert (first["status"], first["return_comments"]) == ("returned", "Check custody records again.")
    assert first["completeness_problems"] == {}
    application = ok(
        call(api_client, team.admin, "get", url("api-disclosure-application", submitted.application_id))
    )
    assert application["stage"] == "research"
    assert [(p["number"], p["status"]) for p in application["packages"]] == [(2, "draft"), (1, "returned")]
    assert ResearchPackage.objects.filter(status=PackageStatus.RETURNED).count() == 1

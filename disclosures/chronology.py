"""A person's chronology, from disclosures: each application naming them (with their part in it), its
decision and the disclosure made (mash/people/chronology.py).

With a viewer, the applications are the ones the sharing policy lists for them (``policy.visible``)
and each event shows what their audience shows: a forum participant sees the application's summary and
its people, never the decision's reasoning or the disclosure.
"""

from collections import defaultdict

from django.urls import reverse

from disclosures.models import Application, ApplicationPerson, Decision, DisclosureRecord, PersonRole
from mash.people.chronology import OTHER_PEOPLE, POLICE_INTELLIGENCE, SERIOUS_HARM, Event
from mash.sharing import policy

DISCLOSURE = "Disclosure application"


def disclosure_chronology(viewer, person):
    """Chronology source: the disclosure applications naming ``person``."""
    roles = defaultdict(list)
    for application_id, role in ApplicationPerson.objects.filter(person=person).values_list(
        "application_id", "role"
    ):
        roles[application_id].append(role)
    if not roles:
        return []
    applications = Application.objects.filter(pk__in=roles).order_by("received_at", "pk")
    if viewer is not None:
        applications = policy.visible(viewer, applications)
    applications = list(applications)
    if not applications:
        return []
    audience = policy.Audience.FULL if viewer is None else policy.list_audience(viewer, Application)
    shows = lambda name: policy.shows(audience, Application, name)  # noqa: E731
    ids = [application.pk for application in applications]
    decisions = (
        {d.application_id: d for d in Decision.objects.filter(application_id__in=ids)}
        if shows("decision")
        else {}
    )
    disclosures = (
        {d.application_id: d for d in DisclosureRecord.objects.filter(application_id__in=ids)}
        if shows("disclosure")
        else {}
    )
    events = []
    for application in applications:
        events.extend(
            _events(
                application,
                roles[application.pk],
                decisions.get(application.pk),
                disclosures.get(application.pk),
                shows,
            )
        )
    return events


def _flags(roles) -> tuple[str, ...]:
    # An application is about its subject and made by someone else: to any other person named in it, it
    # is someone else's information; to its subject, it tells who asked about them (a risk to them).
    if PersonRole.SUBJECT in roles:
        return (POLICE_INTELLIGENCE, OTHER_PEOPLE, SERIOUS_HARM)
    return (POLICE_INTELLIGENCE, OTHER_PEOPLE)


def _events(application, roles, decision, disclosure, shows):
    labels = dict(PersonRole.choices)
    role_text = " and ".join(labels[role].split(" (")[0].lower() for role in roles)
    common = {
        "title": application.reference,
        "url": reverse("disclosures:application", args=[application.pk]),
        "record": application,
        "release_flags": _flags(roles),
        "category": DISCLOSURE,
    }
    yield Event(
        at=application.received_at,
        kind="Disclosure application received",
        summary=f"{application.get_scheme_display()}, {application.get_route_display().lower()}. "
        f"Named as the {role_text}.",
        **common,
    )
    if decision is not None:
        if decision.disclose:
            summary = f"Disclose. Necessary: {decision.necessary}"
        else:
            summary = f"No disclosure: {decision.no_disclosure_reason}"
        if decision.marac_referral:
            summary += " Referred to MARAC."
        yield Event(at=decision.decided_at, kind="Disclosure decision", summary=summary, **common)
    if disclosure is not None:
        relation = f" ({disclosure.recipient_relation})" if disclosure.recipient_relation else ""
        yield Event(
            at=disclosure.disclosed_at,
            kind="Disclosure made",
            summary=f"To {disclosure.recipient_name}{relation}.",
            **common,
        )
    if application.closed_at and shows("closed_at"):
        yield Event(
            at=application.closed_at,
            kind="Application closed",
            summary=application.get_outcome_display(),
            **common,
        )

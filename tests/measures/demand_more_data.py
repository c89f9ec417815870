"""The known data of the demand dashboard's disclosure and missing persons measures, January to March
2026 (the period of demand_data.py): applications of each scheme, route and result; missing episodes
of children and adults at each risk, repeat-missing flags referred, dismissed and open, return home
interviews offered, done and declined by three agencies. Through the services wherever they take the
dates given (a year back at most); a decision's outcome is set on the row, as the decision services
stamp the time they run."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from disclosures import services as disclosures
from disclosures.models import Application, Outcome, PersonRole, Stage
from missing_persons import services as missing
from missing_persons.models import InterviewStatus, ReporterKind, ReturnInterview
from missing_persons.services.repeat import check_repeat, flag_dismiss, flag_refer
from tests.factories import PersonFactory
from tests.measures.demand_data import at


@dataclass
class More:
    applications: dict = field(default_factory=dict)
    episodes: dict = field(default_factory=dict)
    flags: dict = field(default_factory=dict)
    interviews: dict = field(default_factory=dict)


def _application(cast, scheme, route, received, people):
    roles = [disclosures.PersonInput(role=PersonRole.SUBJECT, person=people["subject"])]
    if scheme != "dvds_know":
        roles.append(disclosures.PersonInput(role=PersonRole.APPLICANT, person=people["applicant"]))
    if scheme == "csods":
        roles.append(disclosures.PersonInput(role=PersonRole.CHILD, person=people["child"]))
    else:
        roles.append(disclosures.PersonInput(role=PersonRole.AT_RISK, person=people["applicant"]))
    return disclosures.application_create(
        by=cast.data_admin,
        scheme=scheme,
        route=route,
        circumstances="A friend says he was violent to his last partner.",
        people=roles,
        received_at=received,
        applicant_relation="" if scheme == "dvds_know" else "Herself: his partner",
    )


def _decided(application, outcome):
    Application.objects.filter(pk=application.pk).update(stage=Stage.CLOSED, outcome=outcome)


def applications(cast) -> dict:
    people = {"subject": PersonFactory(), "applicant": PersonFactory(), "child": PersonFactory()}
    made = {
        name: _application(cast, scheme, route, received, people)
        for name, scheme, route, received in [
            ("a0", "csods", "phone", at(2025, 12, 15)),  # before the period
            ("a1", "dvds_ask", "phone", at(2026, 1, 10)),
            ("a2", "dvds_ask", "online", at(2026, 1, 25)),
            ("a3", "dvds_ask", "phone", at(2026, 2, 2)),
            ("a4", "dvds_know", "police", at(2026, 2, 14)),
            ("a5", "csods", "in_person", at(2026, 3, 3)),
            ("a6", "csods", "partner", at(2026, 3, 20)),
            ("a7", "dvds_know", "police", at(2026, 3, 25)),
        ]
    }
    _decided(made["a0"], Outcome.DISCLOSED)
    _decided(made["a1"], Outcome.DISCLOSED)
    _decided(made["a2"], Outcome.NOT_DISCLOSED)
    disclosures.application_withdraw(application=made["a3"], by=cast.data_admin, reason="She moved away.")
    _decided(made["a4"], Outcome.DISCLOSED)
    _decided(made["a6"], Outcome.NOT_DISCLOSED)
    return made


def _episode(cast, person, reported, risk):
    return missing.episode_create(
        by=cast.data_admin,
        data=missing.EpisodeInput(
            person=person,
            reported_at=reported,
            reported_by="Mrs Walsh (mother)",
            reporter_kind=ReporterKind.PARENT,
            last_seen_at=reported - timedelta(hours=2),
            last_seen_place="Ipswich bus station",
            risk=risk,
            risk_rationale="Phone off, seen with older males.",
        ),
    )


def _returned(cast, episode, found):
    missing.episode_return(
        episode=episode,
        by=cast.data_admin,
        found_at=found,
        found_place="Home",
        found_by="Police",
        wellbeing_confirmed=True,
    )
    return ReturnInterview.objects.get(episode=episode)


def _interview(cast, interview, status, when, agency):
    done = (
        {"where_they_were": "At a friend's flat", "push_factors": "Rows at home"} if status == "done" else {}
    )
    missing.interview_record(
        interview=interview, by=cast.data_admin, status=status, agency=agency, at=when, **done
    )


def missing_data(cast, data: More) -> None:
    today = date.today()
    child = {name: PersonFactory(date_of_birth=date(today.year - 14, 3, 14)) for name in "KMN"}
    adult = PersonFactory(date_of_birth=date(1990, 5, 1))
    e = data.episodes
    for name, person, reported, risk in [
        ("e0", child["K"], at(2025, 12, 20), "medium"),  # before the period
        ("e1", child["K"], at(2026, 1, 5), "high"),
        ("e2", child["K"], at(2026, 1, 12), "medium"),
        ("e3", child["K"], at(2026, 1, 20), "medium"),
        ("e4", adult, at(2026, 2, 3), "low"),
        ("e5", child["M"], at(2026, 2, 10), "very_low"),
        ("e6", child["M"], at(2026, 2, 14), "low"),
        ("e7", child["M"], at(2026, 2, 20), "high"),
        ("e8", adult, at(2026, 3, 2), "high"),
        ("e9", child["N"], at(2026, 3, 5), "medium"),
        ("e10", child["N"], at(2026, 3, 6), "medium"),
        ("e11", child["N"], at(2026, 3, 7), "medium"),
    ]:
        e[name] = _episode(cast, person, reported, risk)
    f = data.flags
    f["f1"] = check_repeat(child["K"], now=at(2026, 1, 20, 12, 0))
    flag_refer(flag=f["f1"], by=cast.data_admin)
    f["f2"] = check_repeat(child["M"], now=at(2026, 2, 20, 12, 0))
    flag_dismiss(flag=f["f2"], by=cast.data_admin, reason="Known to the team already.")
    f["f3"] = check_repeat(child["N"], now=at(2026, 3, 7, 12, 0))  # still to act on
    i = data.interviews
    i["e0"] = _returned(cast, e["e0"], at(2025, 12, 21))
    _interview(cast, i["e0"], InterviewStatus.DONE, at(2026, 1, 3), cast.police)  # done in the period only
    i["e1"] = _returned(cast, e["e1"], at(2026, 1, 6))
    _interview(cast, i["e1"], InterviewStatus.OFFERED, at(2026, 1, 7), cast.health)
    _interview(cast, i["e1"], InterviewStatus.DONE, at(2026, 1, 8), cast.health)
    i["e2"] = _returned(cast, e["e2"], at(2026, 1, 13))
    _interview(cast, i["e2"], InterviewStatus.DECLINED, at(2026, 1, 14), cast.lead)
    i["e5"] = _returned(cast, e["e5"], at(2026, 2, 11))
    _interview(cast, i["e5"], InterviewStatus.OFFERED, at(2026, 2, 12), cast.health)
    i["e7"] = _returned(cast, e["e7"], at(2026, 3, 30))
    _interview(cast, i["e7"], InterviewStatus.OFFERED, at(2026, 4, 1), cast.health)  # offered after it
    missing.episode_return(  # an adult: no interview
        episode=e["e4"],
        by=cast.data_admin,
        found_at=at(2026, 2, 4),
        found_place="Home",
        found_by="Police",
        wellbeing_confirmed=True,
    )


def build(cast) -> More:
    data = More(applications=applications(cast))
    missing_data(cast, data)
    for group in (data.applications, data.episodes, data.interviews):
        for item in group.values():
            item.refresh_from_db()
    return data

"""The benchmark's 20 agencies (one lead) and their users, each with one role."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import CommandError

from bench.data.build import Build
from bench.data.reference import AGENCIES, FAMILY, FANOUT_AGENCIES, FANOUT_RESEARCHERS, GIVEN, PASSWORD
from mash.agencies.models import Agency, Membership
from mash.agencies.roles import Role


def make_agencies_and_users(build: Build, total_users: int) -> None:
    User = get_user_model()
    roles = {role: Group.objects.get_or_create(name=role)[0] for role in Role.values}
    build.agencies = []
    for name, kind, weight in AGENCIES:
        group = Group.objects.create(name=f"agency: {name}")
        agency = Agency.objects.create(name=name, kind=kind, is_lead=weight == 0, group=group)
        agency.weight = weight
        build.agencies.append(agency)
    build.lead = build.agencies[0]
    build.partners = build.agencies[1:]

    # The lead: triage practitioners, decision makers, managers, governance, a data administrator.
    plan = [(build.lead, Role.TRIAGE_PRACTITIONER, 60), (build.lead, Role.DECISION_MAKER, 15)]
    plan += [(build.lead, Role.MASH_MANAGER, 5), (build.lead, Role.INFORMATION_GOVERNANCE, 5)]
    plan += [(build.lead, Role.DATA_ADMINISTRATOR, 5)]
    for agency in build.partners[:FANOUT_AGENCIES]:
        plan += [(agency, Role.AGENCY_RESEARCHER, FANOUT_RESEARCHERS), (agency, Role.DECISION_MAKER, 2)]
        plan += [(agency, Role.MASH_MANAGER, 1)]
    planned = sum(n for _, _, n in plan)
    rest = build.partners[FANOUT_AGENCIES:]
    per_agency = max(4, (total_users - planned) // len(rest))
    for agency in rest:
        plan += [(agency, Role.AGENCY_RESEARCHER, per_agency - 3), (agency, Role.DECISION_MAKER, 2)]
        plan += [(agency, Role.MASH_MANAGER, 1)]
    police = build.partners[0]
    plan.append((police, Role.DATA_ADMINISTRATOR, 2))
    needed = sum(n for _, _, n in plan)
    if total_users < needed:
        raise CommandError(
            f"--users {total_users} is too few: the roles of the 20 agencies need at least {needed} "
            f"(the lead's team, {FANOUT_RESEARCHERS} researchers in each of {FANOUT_AGENCIES} agencies)."
        )
    # Whatever rounding left over: more researchers for the police, the agency asked most.
    plan.append((police, Role.AGENCY_RESEARCHER, max(0, total_users - sum(n for _, _, n in plan))))

    password = make_password(PASSWORD)
    build.users_by = {}
    number = 0
    for agency, role, count in plan:
        for _ in range(count):
            number += 1
            slug = role.lower().replace(" ", "-")
            given, family = build.rng.choice(GIVEN), build.rng.choice(FAMILY)
            user = User.objects.create(
                username=f"bench-{number:03d}-{slug}",
                password=password,
                first_name=given,
                last_name=family,
                email=f"bench-{number:03d}@mash.invalid",
            )
            membership = Membership.objects.create(user=user, agency=agency, job_title=role.label)
            membership.roles.set([roles[role]])
            user.groups.set([agency.group, roles[role]])
            build.users_by.setdefault((agency.pk, role), []).append(user.pk)
    build.practitioners = build.users_by[(build.lead.pk, Role.TRIAGE_PRACTITIONER)]
    build.deciders = build.users_by[(build.lead.pk, Role.DECISION_MAKER)]

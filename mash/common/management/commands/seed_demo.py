"""Demo data: the agencies of a MASH, one user per role and agency, a few people.

Idempotent: running it again changes nothing and prints the same accounts. Domain apps add their own
demo records through the ``seed_demo_extend`` signal, so the core never imports them.

Every demo user has one known password, ``DEFAULT_PASSWORD`` (``DEMO_PASSWORD`` in the environment or
``--password`` changes it), printed last with the accounts. Because it is known, the command refuses to
run with DEBUG off (production settings) unless ``--password`` names another password (the tests do).

With DEBUG on (``make run``; never in production settings) the demo users but one are enrolled in the
second factor with one shared authenticator key, printed so that a person can add it to an
authenticator app; ``UNENROLLED`` enrols on first sign-in, and ``manage.py second_factor_reset
<username>`` sends any user back to enrolment.
"""

import base64
import os
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.dispatch import Signal
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from mash.agencies.models import Agency, AgencyKind
from mash.agencies.roles import Role
from mash.agencies.services import agency_create, membership_set
from mash.notifications.services import notify
from mash.people.models import Person
from mash.people.services import person_create

seed_demo_extend = Signal()  # sent with users={username: User}, stdout

AGENCIES = [
    ("Suffolk County Council MASH", AgencyKind.CHILDRENS_SOCIAL_CARE, True),
    ("Suffolk Constabulary", AgencyKind.POLICE, False),
    ("Suffolk and North East Essex Integrated Care Board", AgencyKind.HEALTH, False),
    ("Children and Young People's Services", AgencyKind.CHILDREN_YOUNG_PEOPLE, False),
    ("Adult Social Care", AgencyKind.ADULT_SERVICES, False),
    ("Education Safeguarding Team", AgencyKind.EDUCATION, False),
    # The outsider: an agency of the MASH with no case in common, which sees no record.
    ("Suffolk Fire and Rescue Service", AgencyKind.OTHER, False),
]

# (username, first, last, agency index, roles)
USERS = [
    ("triage", "Tara", "Hughes", 0, [Role.TRIAGE_PRACTITIONER]),
    ("la.decision", "Dev", "Lewis", 0, [Role.DECISION_MAKER]),
    ("manager", "Morag", "Ellis", 0, [Role.MASH_MANAGER]),
    ("governance", "Grace", "Osei", 0, [Role.INFORMATION_GOVERNANCE]),
    # The safeguarding partnership's board: the measures' aggregates, no case content.
    ("board", "Bea", "Marsh", 0, [Role.BOARD_MEMBER]),
    ("police.researcher", "Priya", "Shah", 1, [Role.AGENCY_RESEARCHER]),
    ("police.decision", "Dan", "Peters", 1, [Role.DECISION_MAKER]),
    ("police.admin", "Ada", "Moss", 1, [Role.DATA_ADMINISTRATOR]),
    # A partner agency's manager: may open a disclosure application by break-glass.
    ("police.manager", "Paul", "Grant", 1, [Role.MASH_MANAGER]),
    ("health.researcher", "Hana", "Begum", 2, [Role.AGENCY_RESEARCHER]),
    ("cyps.researcher", "Chris", "Young", 3, [Role.AGENCY_RESEARCHER]),
    ("adults.researcher", "Alex", "Reid", 4, [Role.AGENCY_RESEARCHER]),
    ("education.researcher", "Erin", "Webb", 5, [Role.AGENCY_RESEARCHER]),
    ("fire.researcher", "Finn", "Noble", 6, [Role.AGENCY_RESEARCHER]),
]

# Left without a second factor by the demo: their first sign-in shows the enrolment.
UNENROLLED = "education.researcher"
DEMO_DEVICE = "Demo authenticator (shared key)"
# The demo's one password, documented in the README; never accepted with DEBUG off.
DEFAULT_PASSWORD = "mash-demo-password"  # noqa: S105 (a demo password, refused in production)

PEOPLE = [
    dict(
        given_name="Jayden",
        family_name="Smith",
        date_of_birth=date(2015, 3, 14),
        gender="male",
        nhs_number="9434765919",
        postcode="IP1 2AB",
        address="14 Orwell Road, Ipswich",
    ),
    dict(
        given_name="Amelia",
        family_name="Smith",
        date_of_birth=date(2018, 7, 2),
        gender="female",
        postcode="IP1 2AB",
        address="14 Orwell Road, Ipswich",
    ),
    dict(
        given_name="Kayleigh",
        family_name="Smyth",
        date_of_birth=date(1992, 11, 30),
        gender="female",
        postcode="IP1 2AB",
        address="14 Orwell Road, Ipswich",
    ),
    dict(
        given_name="Mohammed",
        family_name="Rahman",
        date_of_birth=date(2009, 1, 5),
        gender="male",
        postcode="IP4 1QT",
    ),
    dict(
        given_name="Doris",
        family_name="Whitmore",
        date_of_birth=date(1938, 5, 21),
        gender="female",
        postcode="CO10 2PZ",
        address="3 Mill Lane, Sudbury",
    ),
    dict(given_name="Leon", family_name="Carter", approximate_age=15, gender="male"),
]


class Command(BaseCommand):
    help = "Load demo agencies, one user per role and a few people; print the accounts and their password."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help=f"Use this password for every demo user (default: DEMO_PASSWORD, or {DEFAULT_PASSWORD}).",
        )

    def handle(self, *args, **options):
        password = self.password(options.get("password"))
        # Load in one transaction; print after it commits (and the welcome messages are on their way).
        with transaction.atomic():
            agencies = self.load(password)
            demo_key = self.enrol_demo_users() if settings.DEBUG else None
        self.print_accounts(agencies, password, demo_key)

    def password(self, given: str | None) -> str:
        """The demo password: --password, else DEMO_PASSWORD, else the documented one (DEBUG only)."""
        if not settings.DEBUG and (not given or given == DEFAULT_PASSWORD):
            raise CommandError(
                "The demo users have a known password: seed_demo runs only with DEBUG on (make run), "
                "never with production settings. Nothing was loaded."
            )
        return given or os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD

    def print_accounts(self, agencies: list[Agency], password: str, demo_key: str | None) -> None:
        """The accounts, their password and the second factor: the last lines of the seeding."""
        write = self.stdout.write
        write("")
        write(self.style.SUCCESS("Demo data loaded. Sign in at http://127.0.0.1:8000/login/ as:"))
        write(f"  {'Username':<22} {'Role':<24} Agency")
        for username, _first, _last, agency_index, roles in USERS:
            labels = ", ".join(Role(role).label for role in roles)
            write(f"  {username:<22} {labels:<24} {agencies[agency_index].name}")
        write(f"  {'admin':<22} {'Django admin':<24} (sees no case content)")
        write(self.style.WARNING(f"Password for every demo user: {password}"))
        if demo_key:
            grouped = " ".join(demo_key[i : i + 4] for i in range(0, len(demo_key), 4))
            write(
                self.style.WARNING(
                    f"Second factor (demo only): add this key to an authenticator app: {grouped}\n"
                    f"  (time based, 6 digits; one key for every demo user but {UNENROLLED}, "
                    "who sets one up at their first sign-in)"
                )
            )

    def enrol_demo_users(self) -> str:
        """Give every demo user but UNENROLLED the shared demo key (DEBUG only); return it in base32."""
        usernames = [username for username, *_ in USERS if username != UNENROLLED] + ["admin"]
        key = TOTPDevice.objects.filter(name=DEMO_DEVICE, confirmed=True).values_list(
            "key", flat=True
        ).first() or random_hex(20)
        for user in get_user_model().objects.filter(username__in=usernames):
            if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                TOTPDevice.objects.create(user=user, name=DEMO_DEVICE, key=key, confirmed=True)
        return base64.b32encode(bytes.fromhex(key)).decode()

    def load(self, password: str) -> list[Agency]:
        User = get_user_model()
        agencies = []
        for name, kind, is_lead in AGENCIES:
            agency = Agency.objects.filter(name=name).first() or agency_create(
                name=name, kind=kind, is_lead=is_lead
            )
            agencies.append(agency)

        users = {}
        for username, first, last, agency_index, roles in USERS:
            user, _ = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "email": f"{username}@mash.invalid"},
            )
            user.set_password(password)
            user.save()
            membership_set(user=user, agency=agencies[agency_index], roles=roles)
            users[username] = user
        admin, _ = User.objects.get_or_create(
            username="admin", defaults={"email": "admin@mash.invalid", "is_staff": True, "is_superuser": True}
        )
        admin.set_password(password)
        admin.save()

        for details in PEOPLE:
            if not Person.objects.filter(
                given_name=details["given_name"], family_name=details["family_name"]
            ).exists():
                person_create(**details)

        notify(
            recipients=list(users.values()),
            event="demo.welcome",
            idempotency_key="demo.welcome",
            title="Welcome to MASH case management",
            body="Messages about referrals, information requests and decisions for you "
            "or your agency arrive here.",
            url="/",
        )
        seed_demo_extend.send(sender=self.__class__, users=users, stdout=self.stdout)
        return agencies

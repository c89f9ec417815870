"""The roles of the MASH. Each is a Django group, created by a data migration."""

from django.db import models


class Role(models.TextChoices):
    TRIAGE_PRACTITIONER = "triage practitioner", "Triage practitioner"
    AGENCY_RESEARCHER = "agency researcher", "Agency researcher"
    DECISION_MAKER = "decision maker", "Decision maker"
    DATA_ADMINISTRATOR = "data administrator", "Data administrator"
    MASH_MANAGER = "MASH manager", "MASH manager"
    INFORMATION_GOVERNANCE = "information governance", "Information governance"
    BOARD_MEMBER = "partnership board member", "Partnership board member"


ROLE_NAMES = frozenset(Role.values)

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from mash.sharing.models import Dissemination, LawfulBasis

pytestmark = pytest.mark.django_db


def record(cast, person, **overrides):
    from mash.sharing.services import dissemination_record

    fields = dict(
        by=cast.triage,
        approved_by=cast.decision_maker,
        recipient_name="Dr Patel",
        recipient_organisation="Riverside Surgery",
        method="email",
        what="Outcome of the MASH decision",
        lawful_basis=LawfulBasis.PUBLIC_TASK_SAFEGUARDING,
        need="The GP is the lead health professional",
        record=person,
        person=person,
    )
    fields.update(overrides)
    return dissemination_record(**fields)


def test_a_dissemination_is_recorded_with_its_lawful_basis_and_audited(cast, person):
    dissemination = record(cast, person)
    assert dissemination.approved_by == cast.decision_maker
    assert dissemination.object_id == str(person.pk)
    assert LogEntry.objects.get_for_object(dissemination).exists()


def test_a_dissemination_needs_an_approver_who_may_approve(cast, person):
    with pytest.raises(ValidationError) as error:
        record(cast, person, approved_by=cast.police_researcher)
    assert "approved_by" in error.value.message_dict
    assert Dissemination.objects.count() == 0


def test_a_dissemination_needs_a_need_and_a_lawful_basis(cast, person):
    with pytest.raises(ValidationError) as error:
        record(cast, person, need="  ", lawful_basis="because")
    assert {"need", "lawful_basis"} <= set(error.value.message_dict)
    assert Dissemination.objects.count() == 0


def test_no_one_may_disseminate_a_record_they_may_not_see(cast, person):
    with pytest.raises(ValidationError, match="may not see"):
        record(cast, person, by=cast.outsider)

"""The versioned-write kernel (mash/common/versioning.py) and ``require``, on a real referral: every
case record's services lock, refuse and save through these, so the apps' own tests cover each use."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mash.common.api import exception_handler
from mash.common.errors import require
from mash.common.versioning import (
    StaleVersion,
    VersionedModel,
    bump,
    lock_for_change,
    require_version,
    save_change,
)
from referrals.models import Referral
from tests.referrals.factories import make_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(cast):
    return make_referral(by=cast.triage)


def test_a_lock_at_the_version_read_returns_the_record_as_saved_now(referral):
    Referral.objects.filter(pk=referral.pk).update(account="Changed meanwhile, version kept.")
    with transaction.atomic():
        current = lock_for_change(referral, referral.version)
    assert current.pk == referral.pk
    assert current.account == "Changed meanwhile, version kept."


def test_a_lock_at_an_old_version_is_refused_with_a_stale_version_naming_the_record(referral):
    bump(referral)
    with transaction.atomic(), pytest.raises(StaleVersion) as refused:
        lock_for_change(referral, referral.version)
    assert isinstance(refused.value, ValidationError)
    assert refused.value.code == "stale"
    assert refused.value.messages == [
        "Someone else changed this referral since you opened it. Reload the page to see their change, "
        "then try again."
    ]
    assert refused.value.theirs is None


def test_a_lock_without_a_version_is_never_stale(referral):
    bump(referral)
    with transaction.atomic():
        assert lock_for_change(referral, None).version == referral.version + 1


def test_a_refusal_can_carry_the_values_saved_now(referral):
    bump(referral)
    with transaction.atomic(), pytest.raises(StaleVersion) as refused:
        lock_for_change(
            referral,
            referral.version,
            stale=lambda current: StaleVersion.of("account", theirs={"account": current.account}),
        )
    assert refused.value.theirs == {"account": referral.account}
    assert refused.value.messages[0].startswith("Someone else changed this account since you opened it.")


def test_another_version_than_the_records_own_can_be_checked(referral):
    with transaction.atomic(), pytest.raises(StaleVersion):
        lock_for_change(referral, 1, version=lambda current: current.version + 1)


def test_a_record_locked_first_can_be_checked_after(referral):
    bump(referral)
    with transaction.atomic():
        current = lock_for_change(referral)
        require_version(current, referral.version + 1)
        require_version(current, None)
        with pytest.raises(StaleVersion):
            require_version(current, referral.version)


def test_saving_a_change_bumps_the_version_and_the_time_and_saves_only_the_fields_named(referral):
    Referral.objects.filter(pk=referral.pk).update(account="Saved by someone else.")
    before = Referral.objects.get(pk=referral.pk)
    with transaction.atomic():
        current = lock_for_change(referral, referral.version)
        current.rag_rationale = "Seen today."
        current.account = "Not to be saved."
        save_change(current, ["rag_rationale"])
    saved = Referral.objects.get(pk=referral.pk)
    assert saved.version == before.version + 1 == current.version
    assert saved.rag_rationale == "Seen today."
    assert saved.account == "Saved by someone else."
    assert before.updated_at < saved.updated_at <= timezone.now()


def test_a_change_is_cleaned_before_it_is_saved(referral):
    with transaction.atomic():
        current = lock_for_change(referral, referral.version)
        current.kind = "not a kind"
        with pytest.raises(ValidationError) as refused:
            save_change(current, ["kind"])
    assert "kind" in refused.value.message_dict
    assert Referral.objects.get(pk=referral.pk).version == referral.version


def test_a_bump_changes_the_row_not_the_instance(referral):
    assert bump(referral) == 1
    assert Referral.objects.get(pk=referral.pk).version == referral.version + 1


def test_require_refuses_with_the_message_given():
    require(True, "never raised")
    with pytest.raises(ValidationError) as refused:
        require(False, {"reason": "Say why."})
    assert refused.value.message_dict == {"reason": ["Say why."]}


def test_every_versioned_model_has_its_version_field():
    versioned = [model for model in apps.get_models() if issubclass(model, VersionedModel)]
    assert versioned, "the case records are versioned models"
    for model in versioned:
        assert model.check() == [], model


def test_the_api_answers_a_stale_version_with_a_409_and_the_values_saved_now():
    response = exception_handler(StaleVersion.of("entry", theirs={"summary": "Saved first."}), {})
    assert response.status_code == 409
    assert response.data == {
        "detail": "Someone else changed this entry since you opened it. Reload the page to see their change, "
        "then try again.",
        "current": {"summary": "Saved first."},
    }
    assert response.data["detail"].code == "stale"

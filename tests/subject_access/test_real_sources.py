"""The compilation with the apps' own chronology sources (registered in their AppConfig.ready()): a
referral about the person reaches the request as its events and as the record itself."""

import pytest
from django.contrib.contenttypes.models import ContentType

from mash.subject_access import services
from mash.subject_access.models import IdentityMethod, Source
from referrals.models import Referral
from tests.referrals_pages.builders import make_referral, new_subject
from tests.subject_access.conftest import log_request

pytestmark = pytest.mark.django_db

ACCOUNT = "PLANTED-ACCOUNT-DELTA: bruising seen at breakfast club."


def test_a_referral_reaches_the_compilation_as_events_and_as_its_record(cast):
    referral = make_referral(cast, subjects=[new_subject(given_name="Delta")], account=ACCOUNT)
    person = referral.subjects.get().person
    sar = log_request(cast.governance, person)
    services.identity_verify(sar=sar, by=cast.governance, method=IdentityMethod.KNOWN_TO_SERVICE)
    sar = services.request_compile(sar=sar, by=cast.governance)

    referral_type = ContentType.objects.get_for_model(Referral)
    about = sar.items.filter(content_type=referral_type, object_id=str(referral.pk))
    assert about.filter(source=Source.EVENT).exists()
    record = about.get(source=Source.RECORD)
    assert record.title == str(referral) and ACCOUNT in record.text
    assert "Concerns: physical\n" in record.text  # a list, as words
    assert "clock" not in record.text.lower()

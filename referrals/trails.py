"""The records under a referral and under an information request, for information governance's trail
of a record (mash/sharing/trails/children.py): a query for each kind of child."""

from mash.sharing.trails import ids_of, register_children, register_reference
from referrals import models


def referral_children(referral):
    yield ids_of(models.ReferralSubject.objects.filter(referral=referral))
    yield ids_of(models.RagRating.objects.filter(referral=referral))
    yield ids_of(models.Consultation.objects.filter(referral=referral))
    yield ids_of(models.InformationRequest.objects.filter(referral=referral))
    yield ids_of(models.ResponseEntry.objects.filter(request__referral=referral))
    # Who it was shared with: the grants to each agency, and to each agency of its own request.
    yield ids_of(models.ReferralGroupObjectPermission.objects.filter(content_object=referral))
    yield ids_of(
        models.InformationRequestGroupObjectPermission.objects.filter(content_object__referral=referral)
    )


def request_children(request):
    yield ids_of(models.ResponseEntry.objects.filter(request=request))
    yield ids_of(models.InformationRequestGroupObjectPermission.objects.filter(content_object=request))


def register() -> None:
    register_reference(models.Referral)
    register_children(models.Referral, referral_children)
    register_children(models.InformationRequest, request_children)

"""The consultation line's pages: the list of calls, logging one, and making one a referral."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View
from django.views.generic import ListView

from mash.agencies.selectors import actor_for
from mash.common.forms import apply_validation_error
from mash.common.permissions import ActorRequiredMixin
from mash.common.views import query_without_page
from referrals import forms, selectors, services
from referrals import policy as referral_policy
from referrals.models import Consent, SubjectRole
from referrals.services import SubjectInput

# What a row of the list shows (referrals/consultations.html): the call, who it was about, the referral
# it became. Not the question and the advice, nor the referral's and the person's other columns; of
# who logged the call, which the selector joins and the page does not show, the username alone.
CONSULTATION_ROW = (
    "called_at",
    "caller_name",
    "caller_organisation",
    "anonymous_description",
    "referral_advised",
    "person",
    "person__given_name",
    "person__family_name",
    "referral",
    "referral__reference",
    "logged_by",
    "logged_by__username",
)


class ConsultationListView(ActorRequiredMixin, ListView):
    allowed = staticmethod(referral_policy.may_list_consultations)
    template_name = "referrals/consultations.html"
    context_object_name = "consultations"
    paginate_by = 50

    def get_queryset(self):
        self.filter_form = forms.ConsultationFilterForm(self.request.GET or None)
        data = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        return selectors.consultation_list_for(
            self.request.user,
            search=data.get("search", ""),
            referral_advised=True if data.get("referral_advised") else None,
            converted=False if data.get("not_converted") else None,
        ).only(*CONSULTATION_ROW)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            nav="consultations",
            filter_form=self.filter_form,
            query=query_without_page(self.request),
            may_record=referral_policy.may_record_referrals(actor_for(self.request.user)),
        )
        return context


class ConsultationCreateView(LoginRequiredMixin, View):
    template_name = "referrals/consultation_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not referral_policy.may_record_referrals(
            actor_for(request.user)
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return TemplateResponse(
            request, self.template_name, {"form": forms.ConsultationForm(), "nav": "consultations"}
        )

    def post(self, request):
        form = forms.ConsultationForm(request.POST)
        if form.is_valid():
            try:
                consultation = services.consultation_create(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "Consultation call logged.")
                return redirect("referrals:consultation", pk=consultation.pk)
        return TemplateResponse(
            request, self.template_name, {"form": form, "nav": "consultations"}, status=400
        )


class ConsultationDetailView(LoginRequiredMixin, View):
    template_name = "referrals/consultation.html"

    def render(self, request, consultation, convert_form=None, subject_form=None, status=200):
        may_record = referral_policy.may_record_referrals(actor_for(request.user))
        return TemplateResponse(
            request,
            self.template_name,
            {
                "consultation": consultation,
                "nav": "consultations",
                "may_record": may_record,
                "convert_form": convert_form or forms.ConvertForm(),
                "subject_form": subject_form or forms.SubjectForm(prefix="subjects-0"),
            },
            status=status,
        )

    def get(self, request, pk: int):
        return self.render(request, selectors.consultation_get_for(request.user, pk, request=request))


class ConsultationConvertView(ConsultationDetailView):
    """One click: the call becomes a referral with its details carried over."""

    def post(self, request, pk: int):
        consultation = selectors.consultation_get_for(request.user, pk, request=request)
        convert_form = forms.ConvertForm(request.POST)
        subject_form = forms.SubjectForm(request.POST, prefix="subjects-0")
        # The person of a call is always the subject; their gender may not be known.
        subject_form.fields["role"].required = False
        subject_form.fields["gender"].required = False
        subjects = None
        valid = convert_form.is_valid()
        if consultation.person is None:
            valid = subject_form.is_valid() and valid
            if valid and not subject_form.has_changed():
                subject_form.add_error("family_name", "Add the person the referral is about.")
                valid = False
        if valid:
            if consultation.person is None:
                subjects = [subject_form.choice(SubjectInput, role=SubjectRole.SUBJECT)]
            try:
                referral = services.consultation_convert(
                    consultation=consultation,
                    by=request.user,
                    subjects=subjects,
                    concerns=convert_form.cleaned_data["concerns"],
                    consent=Consent.NOT_SOUGHT,
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for key, errors in exc.error_dict.items():
                        field = key.split("-", 2)[-1] if key.startswith("subjects-") else None
                        if field in subject_form.fields:
                            subject_form.add_error(field, ValidationError(errors))
                        else:
                            convert_form.add_error(key if key in convert_form.fields else None, errors)
                else:
                    convert_form.add_error(None, exc.messages)
            else:
                messages.success(request, f"Referral {referral.reference} made from the call.")
                return redirect(reverse("referrals:detail", args=[referral.pk]))
        return self.render(request, consultation, convert_form, subject_form, status=400)

"""One action on a record = one form (or serializer) + one service, whether from a page or the API.

An app writes, once, how to find its record and how to answer (its ``RecordActionView`` and
``RecordActionAPI`` bases); each action is then a class of three or four attributes::

    class RateView(ReferralAction):
        form_class, service, success = forms.RateForm, services.referral_rate, "RAG rating recorded."

    class ReferralRateAPI(ReferralActionAPI):
        summary, serializer_class, service = "RAG-rate the referral", RateSerializer, services.referral_rate

The service is called with the record under its own name (``record_name``), the acting user as ``by``
and the checked input: a form's ``version`` becomes the service's ``expected_version`` (the serializer
already says so with ``version_input``). A refusal is a Django ``ValidationError``: a page shows it on the
form that was sent, re-rendered with what was typed (400); the API answers it as the project's handler
does (400 naming the field, 403 for a role refusal, 409 for a stale version).
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views import View
from drf_spectacular.utils import extend_schema
from rest_framework.views import APIView

from mash.common.api import STALE
from mash.common.forms import apply_validation_error
from mash.common.versioning import StaleVersion

# The event a section saved through htmx announces (HX-Trigger): static/js/sections.mjs then carries
# the record's new version to the page's other forms, and static/js/unsaved-changes.mjs forgets the
# section's typing.
SAVED_EVENT = "mash:saved"
STALE_KEPT = (
    "Someone else saved this first. What you typed is kept: check what is saved now, then save again."
)


def service_input(data: dict) -> dict:
    """A form's cleaned data as a service's keywords: ``version`` is the ``expected_version``."""
    data = dict(data)
    if "version" in data:
        data["expected_version"] = data.pop("version")
    return data


class RecordActionView(LoginRequiredMixin, View):
    """One action on a record from its page (POST only): check the form, call the service, go back.

    An app's base sets ``record_name`` and writes ``get_record`` (through its selector, so the sharing
    policy and the access log apply), ``success_url`` and ``render_failure`` (the record's page again,
    with this form bound and the others fresh). An action sets ``form_class``, ``service`` and
    ``success``; ``form_name`` (the page's name for the form) defaults to the form's own
    ``form_name``, and ``form_kwargs`` or ``service_kwargs`` say more where an action needs it
    (``get_success_url``, where the page to go to depends on what the service made).
    ``render_failure`` finds the service's refusal in ``self.refusal`` (None when the form itself was
    invalid): a page that shows more than the message (a stale save's saved values) reads it there.

    With ``partial_template`` (one section of the record's page) an htmx request (``HX-Request``) is
    answered with that section alone, rendered with ``partial_context``: after a save with a fresh form
    and the success message inside it (``section_message``) and the ``mash:saved`` event; after a
    refusal with the form as typed and its errors. Both are 200, as htmx swaps only a 2xx answer.
    """

    record_name = ""
    form_class = None
    form_name = ""
    service = None
    success = ""
    refusal = None  # the service's ValidationError, kept for ``render_failure`` (None: the form was invalid)
    partial_template = ""  # the form's section of the record's page, for an htmx request

    def get_record(self, request, pk):
        raise NotImplementedError

    def success_url(self, record) -> str:
        raise NotImplementedError

    def render_failure(self, request, record, form):
        raise NotImplementedError

    def get_form_name(self) -> str:
        return self.form_name or getattr(self.form_class, "form_name", "")

    def form_kwargs(self, request, record) -> dict:
        return {}

    def get_form(self, request, record, data=None):
        prefix = self.get_form_name().removesuffix("_form")
        kwargs = {"auto_id": f"{prefix}_%s", **self.form_kwargs(request, record)}
        return self.form_class(request.POST if data is None else data, request.FILES or None, **kwargs)

    def service_kwargs(self, request, record, form) -> dict:
        return {self.record_name: record, "by": request.user, **service_input(form.cleaned_data)}

    def perform(self, request, record, form):
        # The service is a plain function kept on the class: read from the class, it is not a method.
        return type(self).service(**self.service_kwargs(request, record, form))

    def get_success_message(self, record, result) -> str:
        return self.success

    def get_success_url(self, record, result) -> str:
        """Where to go after the change: ``success_url`` unless it depends on what the service made."""
        return self.success_url(record)

    def wants_partial(self, request) -> bool:
        return bool(self.partial_template and request.htmx)  # django_htmx's HtmxMiddleware

    def partial_context(self, request, record, form) -> dict:
        """The section's context: ``form`` as typed after a refusal, None after a save."""
        raise NotImplementedError

    def render_partial(self, request, record, form=None, *, message: str = ""):
        context = {**self.partial_context(request, record, form), "section_message": message}
        response = TemplateResponse(request, self.partial_template, context)
        if form is None:
            response["HX-Trigger"] = SAVED_EVENT
        return response

    def stale_refusal(self) -> StaleVersion | None:
        """The service's refusal of a save made on an out-of-date copy of the record, if that was it."""
        return self.refusal if isinstance(self.refusal, StaleVersion) else None

    def rebound(self, request, record, version: int):
        """After a stale refusal: the form as typed, but carrying the version saved now, so that saving
        again is a deliberate overwrite made after seeing what is saved now."""
        data = request.POST.copy()
        data["version"] = version
        rebound = self.get_form(request, record, data)
        rebound.is_valid()
        rebound.add_error(None, STALE_KEPT)
        return rebound

    def post(self, request, pk: int, **kwargs):
        record = self.get_record(request, pk, **kwargs)
        form = self.get_form(request, record)
        if form.is_valid():
            try:
                result = self.perform(request, record, form)
            except ValidationError as exc:
                self.refusal = exc
                apply_validation_error(form, exc)
            else:
                message = self.get_success_message(record, result)
                if self.wants_partial(request):
                    return self.render_partial(request, record, message=message)
                if message:
                    messages.success(request, message)
                return redirect(self.get_success_url(record, result))
        if self.wants_partial(request):
            return self.render_partial(request, record, form)
        return self.render_failure(request, record, form)


class RecordActionAPI(APIView):
    """One action on a record through the API (POST): check the serializer, call the service, answer.

    An app's base sets ``record_name``, ``get_record`` and ``respond`` (the record as its detail
    serializer shows it to this user) and ``output`` (that serializer, for the schema). An action sets
    ``summary``, ``serializer_class`` and ``service``. The schema entry (request, 200 and 409) is made
    from those, once, here; ``conflict = None`` leaves the 409 out (an action that sends back no
    version cannot be stale), and ``takes_body = False`` is for a button that sends nothing (the body is
    ignored and the schema shows none; its serializer has no fields).
    """

    record_name = ""
    serializer_class = None
    service = None
    summary = ""
    output = None
    status_code = 200
    conflict = STALE
    takes_body = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.summary and cls.serializer_class is not None and "post" not in cls.__dict__:

            def post(self, request, pk: int, **kwargs):
                return RecordActionAPI.post(self, request, pk, **kwargs)

            responses = {cls.status_code: cls.output}
            if cls.conflict is not None:  # None: an action that sends back no version has no 409
                responses[409] = cls.conflict
            request = cls.serializer_class if cls.takes_body else None
            schema = extend_schema(summary=cls.summary, request=request, responses=responses)
            cls.post = schema(post)

    def get_record(self, request, pk, **kwargs):
        raise NotImplementedError

    def respond(self, request, record, result):
        raise NotImplementedError

    def get_serializer_context(self, request, record) -> dict:
        return {"request": request}

    def service_kwargs(self, request, record, data: dict) -> dict:
        return {self.record_name: record, "by": request.user, **data}

    def perform(self, request, record, data: dict):
        return type(self).service(**self.service_kwargs(request, record, data))

    def post(self, request, pk: int, **kwargs):
        record = self.get_record(request, pk, **kwargs)
        context = self.get_serializer_context(request, record)
        serializer = self.serializer_class(data=request.data if self.takes_body else {}, context=context)
        serializer.is_valid(raise_exception=True)
        result = self.perform(request, record, serializer.validated_data)
        return self.respond(request, record, result)

"""Recording an application (the police data administrators): the application and its people, each
matched against the people already known. Every problem is shown at once, in one error summary linking
to each field (GOV.UK), with the person named by their role; what was typed and the matches chosen are
kept; an open application about the same subject is pointed out and must be confirmed as not the same."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views import View

from disclosures import forms, policy, selectors, services
from disclosures.models import PersonRole
from disclosures.views.queue import TeamOnlyMixin
from mash.agencies.selectors import actor_for
from mash.common.form_errors import first_input_id, summary_entries
from mash.people.matching import Match
from mash.people.selectors import Candidate, person_candidates_for, person_choosable_for

# The rows the intake page starts with (also the formset's initial on POST, so untouched rows stay empty).
# The applicant who is herself at risk takes the role "Applicant, and the person at risk" on one row.
INITIAL_PEOPLE = [{"role": PersonRole.APPLICANT}, {"role": PersonRole.SUBJECT}, {"role": PersonRole.AT_RISK}]


@dataclass
class Row:
    """One row of the people: its form, the known people who may be the one typed in, the choice
    made between them and a new person (an id, "new", or "" for none yet) and what is wrong with it."""

    form: forms.PersonForm
    candidates: list = field(default_factory=list)
    chosen: int | str = ""
    choice_error: str = ""

    @property
    def choice_name(self) -> str:
        return self.form["match"].html_name


def _chosen(form) -> int | str:
    value = str(form["match"].value() or "").strip()
    return int(value) if value.isdigit() else value


def _row(user, form) -> Row:
    """The row as typed: its matches (with the person chosen earlier, should the details typed no
    longer bring them up) and whether a choice between them is still needed."""
    if not form.has_changed():
        return Row(form=form)
    chosen = _chosen(form)
    candidates = person_candidates_for(user, **form.match_details())
    if isinstance(chosen, int) and all(c.match.person.pk != chosen for c in candidates):
        # An id that names nobody and a person this user may not see are answered alike.
        person = person_choosable_for(user, chosen)
        if person is None:
            raise Http404
        candidates.insert(0, Candidate(match=Match(person=person, score=0, reasons=["Chosen before"])))
    row = Row(form=form, candidates=candidates, chosen=chosen)
    if candidates and chosen not in ("new", *[c.match.person.pk for c in candidates]):
        row.choice_error = f"Choose whether {form.who} is one of the matching people, or a new person."
    return row


class Intake:
    """The page's forms as posted, with everything wrong with them (``problems``: one list, in the
    order of the page, each linking to its field) and the open applications about the same subject."""

    def __init__(self, user, data=None):
        self.user = user
        self.form = forms.ApplicationForm(data)
        self.formset = forms.PersonFormSet(data, initial=INITIAL_PEOPLE, prefix="people")
        self.rows = [Row(form=form) for form in self.formset.forms]
        self.duplicates, self.people, self.filled = [], [], []

    def check(self) -> None:
        """Validate everything at once: the forms, the choice of matches, then the services' rules on
        whatever could be read (nothing is written)."""
        self.form.is_valid()
        self.formset.is_valid()
        self.rows = [_row(self.user, form) for form in self.formset.forms]
        typed = [(index, row.form) for index, row in enumerate(self.rows) if row.form.has_changed()]
        for index, form in typed:
            if form.is_valid() and not self.rows[index].choice_error:
                role, also = forms.split_role(form.cleaned_data["role"])
                chosen = self.rows[index].chosen
                person = person_choosable_for(self.user, chosen) if isinstance(chosen, int) else None
                self.people.append(
                    form.choice(services.PersonInput, person=person, role=role, also_roles=also)
                )
                self.filled.append(index)
        data = self.form.cleaned_data
        roles = []
        for _, form in typed:
            role, also = forms.split_role(form["role"].value() or "")
            roles += [role, *also]
        self.apply(
            ValidationError(
                {
                    **services.application_errors(
                        scheme=data.get("scheme", ""),
                        route=data.get("route", ""),
                        circumstances=data.get("circumstances", ""),
                        roles=roles,
                        received_at=data.get("received_at"),
                        applicant_relation=data.get("applicant_relation", ""),
                    ),
                    **services.people_errors(
                        [p for p in self.people if p.person is None],
                        keys=[i for i, p in zip(self.filled, self.people, strict=True) if p.person is None],
                    ),
                }
            ),
            by_row=True,
        )
        subjects = [
            p.person.pk
            for p in self.people
            if p.person is not None and PersonRole.SUBJECT in (p.role, *p.also_roles)
        ]
        self.duplicates = list(selectors.open_applications_about(self.user, subjects))

    @property
    def confirmed(self) -> bool:
        return bool(self.form.cleaned_data.get("not_a_duplicate")) if self.form.is_bound else False

    def apply(self, exc: ValidationError, *, by_row: bool = False) -> None:
        """A service's errors where they belong: ``people-<i>-<field>`` on that person (``i`` a row of
        the page when ``by_row``, else the service's place in the people filled in), naming them;
        ``people`` on the people as a whole; the rest on the application's fields. An error already
        shown on a field is not repeated."""
        if not hasattr(exc, "error_dict"):
            for message in exc.messages:
                self.form.add_error(None, message)
            return
        for key, errors in exc.error_dict.items():
            parts = key.split("-", 2)
            if len(parts) == 3 and parts[0] == "people" and parts[1].isdigit():
                index = int(parts[1]) if by_row else self.filled[int(parts[1])]
                form, name = self.rows[index].form, parts[2]
                if name in form.fields and not form.fields[name].widget.is_hidden:
                    if name not in form.errors:
                        form.add_error(name, ValidationError(errors))  # worded, naming the person
                else:
                    for message in ValidationError(errors).messages:
                        form.add_error(None, form.about(message))
            elif key == "people":
                self.formset._non_form_errors.extend(ValidationError(errors).messages)
            elif key not in self.form.fields:
                for message in ValidationError(errors).messages:
                    self.form.add_error(None, message)
            elif key not in self.form.errors:
                self.form.add_error(key, ValidationError(errors))

    def problems(self) -> list[dict]:
        """Every error of the page, in its order, each with the link to what it is about
        (templates/includes/_error_summary.html)."""
        fields = [name for name in self.form.fields if name != "not_a_duplicate"]
        items = summary_entries((self.form, [NON_FIELD_ERRORS, *fields]))
        items += [{"message": error, "href": "#people"} for error in self.formset.non_form_errors()]
        for row in self.rows:
            if row.choice_error:
                first = row.candidates[0].match.person.pk
                items.append({"message": row.choice_error, "href": f"#{row.choice_name}-{first}"})
            for error in row.form.non_field_errors():
                items.append({"message": error, "href": f"#{row.form['given_name'].auto_id}"})
            for bound in row.form:
                items += [{"message": e, "href": f"#{first_input_id(bound)}"} for e in bound.errors]
        if self.duplicates and not self.confirmed:
            items.append(
                {
                    "message": "Confirm that this is a new application, not a duplicate of the open "
                    "application shown.",
                    "href": f"#{self.form['not_a_duplicate'].auto_id}",
                }
            )
        return items


class IntakeView(TeamOnlyMixin, View):
    template_name = "disclosures/intake.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not policy.may_administer(actor_for(request.user)):
            raise PermissionDenied("Only the police data administrators record applications.")
        return super().dispatch(request, *args, **kwargs)

    def render(self, request, intake: Intake, status=200):
        problems = intake.problems() if intake.form.is_bound else []
        return TemplateResponse(
            request,
            self.template_name,
            {
                "nav": "disclosures",
                "form": intake.form,
                "formset": intake.formset,
                "rows": intake.rows,
                "problems": problems,
                "duplicates": intake.duplicates,
                "choosing": any(row.candidates for row in intake.rows),
            },
            status=status,
        )

    def get(self, request):
        return self.render(request, Intake(request.user))

    def post(self, request):
        intake = Intake(request.user, request.POST)
        intake.check()
        if intake.problems():
            status = 409 if intake.duplicates and len(intake.problems()) == 1 else 400
            return self.render(request, intake, status=status)
        data = {k: v for k, v in intake.form.cleaned_data.items() if k != "not_a_duplicate"}
        try:
            application = services.application_create(by=request.user, people=intake.people, **data)
        except ValidationError as exc:
            intake.apply(exc)
            return self.render(request, intake, status=400)
        messages.success(request, f"Application {application.reference} recorded; its clocks have started.")
        return redirect("disclosures:application", pk=application.pk)

"""mash.common.forms.FixedFilterForm: a filter form's HTML is kept per submitted values and language,
and is what the form renders without it."""

from django.forms.forms import BaseForm
from django.http import QueryDict
from django.utils import translation

from disclosures.forms import QueueFilterForm as DisclosureFilterForm
from mash.common.forms import FixedFilterForm
from referrals.forms import ConsultationFilterForm, QueueFilterForm


def _fresh(form):
    """The form's HTML as Django renders it, without the kept copy."""
    return BaseForm.render(form)


def test_the_kept_html_is_the_rendered_html_bound_unbound_and_invalid():
    for form_class, query in [
        (QueueFilterForm, ""),
        (QueueFilterForm, "state=screening&rag=red&assigned_to_me=on&page=2"),
        (QueueFilterForm, "state=no-such-state"),
        (ConsultationFilterForm, "search=<b>Ann</b>&not_converted=on"),
        (DisclosureFilterForm, "stage=research"),
    ]:
        for _ in range(2):  # the first renders and keeps, the second reads what was kept
            form = form_class(QueryDict(query) or None)
            assert str(form) == _fresh(form_class(QueryDict(query) or None)), (form_class, query)


def test_what_was_submitted_shows_and_an_invalid_choice_is_an_error():
    chosen = str(QueueFilterForm(QueryDict("state=screening")))
    assert '<option value="screening" selected>' in chosen
    assert "Select a valid choice" not in chosen
    invalid = str(QueueFilterForm(QueryDict("state=no-such-state")))
    assert "Select a valid choice" in invalid
    assert '<option value="screening" selected>' not in str(QueueFilterForm(None))
    # Free text is escaped, as Django escapes it.
    assert "&lt;b&gt;Ann&lt;/b&gt;" in str(ConsultationFilterForm(QueryDict("search=<b>Ann</b>")))


def test_the_language_is_part_of_the_key():
    english = str(QueueFilterForm(QueryDict("state=no-such-state")))
    with translation.override("cy"):
        welsh = str(QueueFilterForm(QueryDict("state=no-such-state")))
        assert welsh == _fresh(QueueFilterForm(QueryDict("state=no-such-state")))
    assert welsh != english


def test_at_most_so_many_are_kept():
    for n in range(FixedFilterForm.RENDERED_KEPT + 20):
        str(ConsultationFilterForm(QueryDict(f"search=caller-{n}")))
    assert len(FixedFilterForm._rendered) == FixedFilterForm.RENDERED_KEPT
    latest = f"search=caller-{FixedFilterForm.RENDERED_KEPT + 19}"
    assert 'value="caller-' in str(ConsultationFilterForm(QueryDict(latest)))


def test_a_form_given_initial_values_or_a_prefix_is_rendered_each_time():
    kept = len(FixedFilterForm._rendered)
    form = QueueFilterForm(initial={"state": "screening"})
    assert '<option value="screening" selected>' in str(form)
    prefixed = QueueFilterForm(QueryDict("q-state=received"), prefix="q")
    assert '<option value="received" selected>' in str(prefixed)
    assert len(FixedFilterForm._rendered) == kept

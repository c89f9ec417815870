"""mash.common.models.ChoiceLabels: get_<field>_display() from a table built once per field gives
Django's own answer, for every field with choices of every model that uses it."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from mash.common.models import ChoiceLabels, choice_label
from referrals.models import Referral, ReferralSubject


def _fields_with_choices():
    for model in apps.get_models():
        if not issubclass(model, ChoiceLabels):
            continue
        for field in model._meta.concrete_fields:
            if field.choices:
                yield model, field


def test_the_hot_models_use_it():
    assert issubclass(Referral, ChoiceLabels)
    assert issubclass(ReferralSubject, ChoiceLabels)


@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_every_choice_and_an_unknown_value_read_as_django_reads_them(language):
    checked = 0
    with translation.override(language):
        for model, field in _fields_with_choices():
            values = [value for value, _label in field.flatchoices] + ["not-a-choice", None]
            for value in values:
                instance = model()
                setattr(instance, field.attname, value)
                ours = getattr(instance, f"get_{field.name}_display")()
                # Django's own method, past ours in the class's order.
                django = models.Model._get_FIELD_display(instance, field)
                assert ours == django, (model.__name__, field.name, value)
                assert type(ours) is type(django)
                # And without an instance, for rows read as plain values.
                assert choice_label(model, field.name, value) == django
                checked += 1
    assert checked > 100


def test_a_callable_choices_field_is_read_anew():
    class DjangoDisplay:
        _get_FIELD_display = models.Model._get_FIELD_display

    class Shifting(ChoiceLabels, DjangoDisplay):
        def __init__(self, value):
            self.kind = value

    options = [("a", "First")]

    field = models.CharField(choices=lambda: list(options))
    field.set_attributes_from_name("kind")
    assert Shifting("a")._get_FIELD_display(field) == "First"
    options[0] = ("a", "Changed")
    assert Shifting("a")._get_FIELD_display(field) == "Changed"

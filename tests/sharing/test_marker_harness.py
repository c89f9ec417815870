"""The marker harness cannot be fooled by a new field, page or endpoint (tests/sharing/markers.py)."""

import pytest
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views import View

from disclosures.models import PackageEntry
from referrals.models import Referral, ResponseEntry
from tests.sharing import markers


class _Page(View):
    def get(self, request, pk):
        return HttpResponse("")


class _PostOnly(View):
    def post(self, request, pk):
        return HttpResponse("")


urlpatterns = [
    path("widgets/<int:pk>/", _Page.as_view(), name="widget"),
    path("widgets/<int:pk>/delete/", _PostOnly.as_view(), name="widget-delete"),
    path("referrals/<int:pk>/", _Page.as_view(), name="referral"),
]


def test_every_char_and_text_field_without_choices_is_content():
    fields = markers.free_text_fields(Referral)
    assert {"account", "referrer_name", "rag_rationale", "reference"} <= set(fields)
    assert "state" not in fields and "rag" not in fields  # choices: not free text


def test_a_model_of_the_case_apps_with_free_text_is_found_without_being_listed():
    found = set(markers.content_models())
    assert {Referral, ResponseEntry, PackageEntry} <= found


@pytest.mark.django_db
def test_a_page_whose_parameters_cannot_be_filled_is_named(settings):
    settings.ROOT_URLCONF = __name__
    routes = markers.page_routes()
    assert routes.unfillable == [
        "widgets/<int:pk>/: no model for <pk> after 'widgets'",
        "referrals/<int:pk>/: no Referral in the scenario for <pk>",
    ]
    assert routes.no_get == ["widgets/<int:pk>/delete/"]


def test_a_parameter_after_an_ambiguous_collection_is_read_under_its_parent():
    assert markers._lookup_to(ResponseEntry, markers._model("referrals.InformationRequest")) == "request"
    assert (
        markers._lookup_to(PackageEntry, markers._model("disclosures.ResearchPackage")) == "section__package"
    )


def test_markers_are_found_in_html_json_and_headers():
    page = HttpResponse("<td>MKR0001</td><p>MKR0002…</p>")
    page["Content-Disposition"] = 'attachment; filename="MKR0003.csv"'
    assert markers.markers_in(page) == {"MKR0001", "MKR0002", "MKR0003"}
    assert markers.markers_in(JsonResponse({"note": "MKR0004", "list": ["MKR0005"]})) == {
        "MKR0004",
        "MKR0005",
    }

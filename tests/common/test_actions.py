"""One action = a form or serializer + one service (mash/common/actions.py): every action the project
routes is complete, so a half-declared one fails here rather than on a user's click."""

from django.urls import URLPattern, URLResolver, get_resolver

from mash.common.actions import RecordActionAPI, RecordActionView, service_input
from mash.common.lists import SelectorListAPI


def routed_views(patterns=None, prefix=""):
    """(route, view class) for every class-based view the URLconf routes to."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from routed_views(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            view_class = getattr(entry.callback, "view_class", None) or getattr(entry.callback, "cls", None)
            if view_class is not None:
                yield prefix + str(entry.pattern), view_class


def test_every_page_action_names_its_form_service_and_record():
    actions = [(route, cls) for route, cls in routed_views() if issubclass(cls, RecordActionView)]
    assert len(actions) >= 6  # the referral page alone has six
    for route, cls in actions:
        assert cls.record_name, route
        assert cls.form_class is not None, route
        # The service, or an action's own ``perform`` where one action calls more than a service.
        assert callable(cls.service) or cls.perform is not RecordActionView.perform, route
        for hook in ("get_record", "render_failure"):
            assert getattr(cls, hook) is not getattr(RecordActionView, hook), f"{route}: {hook}"
        # Where to go next: the record's page, or (get_success_url) a page the service's result names.
        assert (
            cls.success_url is not RecordActionView.success_url
            or cls.get_success_url is not RecordActionView.get_success_url
        ), route


def test_every_api_action_names_its_serializer_service_and_answer():
    actions = [(route, cls) for route, cls in routed_views() if issubclass(cls, RecordActionAPI)]
    assert len(actions) >= 6
    for route, cls in actions:
        assert cls.record_name, route
        assert cls.serializer_class is not None, route
        assert callable(cls.service) or cls.perform is not RecordActionAPI.perform, route
        assert cls.summary, route
        for hook in ("get_record", "respond"):
            assert getattr(cls, hook) is not getattr(RecordActionAPI, hook), f"{route}: {hook}"


def test_a_forms_version_is_the_services_expected_version():
    assert service_input({"version": 3, "note": "x"}) == {"expected_version": 3, "note": "x"}
    assert service_input({"note": "x"}) == {"note": "x"}


def test_every_api_list_names_its_model_and_selector():
    lists = [(route, cls) for route, cls in routed_views() if issubclass(cls, SelectorListAPI)]
    assert len(lists) >= 10
    for route, cls in lists:
        assert cls.model is not None and cls.serializer_class is not None, route
        assert callable(cls.selector) or cls.select is not SelectorListAPI.select, route

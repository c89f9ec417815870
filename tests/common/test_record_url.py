"""``{% record_url %}`` gives what ``{% url %}`` gives, for every page of one record in the URLconf, and
``{% page_url %}`` for every page that takes no argument."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse, set_script_prefix

KEYS = [1, 42, 2_147_483_647]


def _names(resolver: URLResolver, namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name


def _one_key(name: str) -> bool:
    """A pattern of one integer argument: reverses with a number, not with a word."""
    try:
        reverse(name, args=[7])
    except NoReverseMatch:
        return False
    try:
        reverse(name, args=["word"])
    except NoReverseMatch:
        return True
    return False


RECORD_PAGES = sorted({name for name in _names(get_resolver()) if _one_key(name)})


def _no_argument(name: str) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


PAGES = sorted({name for name in _names(get_resolver()) if _no_argument(name)})


def render(source: str, **context) -> str:
    return Template("{% load mash %}" + source).render(Context(context))


def test_the_urlconf_has_record_pages_to_check():
    assert "referrals:detail" in RECORD_PAGES and "strategy:discussion" in RECORD_PAGES


@pytest.mark.parametrize("name", RECORD_PAGES)
def test_record_url_is_the_url_tag(name):
    for key in KEYS:
        assert render("{% record_url name key %}", name=name, key=key) == render(
            "{% url name key %}", name=name, key=key
        )


@pytest.mark.parametrize(
    ("source", "path"),
    [
        ("{% record_url 'referrals:detail' 5 %}", "referrals/5/"),
        ("{% page_url 'referrals:queue' %}", "referrals/"),
    ],
)
def test_record_url_and_page_url_follow_the_script_prefix(source, path):
    try:
        set_script_prefix("/mash/")
        assert render(source) == "/mash/" + path
    finally:
        set_script_prefix("/")
    assert render(source) == "/" + path


def test_a_page_without_one_key_is_refused():
    with pytest.raises((TemplateSyntaxError, NoReverseMatch)):
        render("{% record_url 'referrals:queue' 5 %}")


def test_the_urlconf_has_pages_without_arguments_to_check():
    assert {"home", "logout", "referrals:queue", "accounts:session_status"} <= set(PAGES)


@pytest.mark.parametrize("name", PAGES)
def test_page_url_is_the_url_tag(name):
    assert render("{% page_url name %}", name=name) == render("{% url name %}", name=name)


def test_a_page_that_takes_an_argument_is_refused_as_by_the_url_tag():
    with pytest.raises(NoReverseMatch):
        render("{% page_url 'referrals:detail' %}")

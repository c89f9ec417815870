"""The strategy discussions list: every discussion the user may see, the latest first, paged with its
count (issue 16)."""

import pytest
from django.urls import reverse

from strategy.views.discussion import DiscussionListView
from tests.perf.rows import _discussion

pytestmark = pytest.mark.django_db

DISCUSSIONS = reverse("strategy:discussions")


def test_the_discussions_are_paged_with_their_count(client, cast, monkeypatch):
    assert DiscussionListView.paginate_by == 50
    monkeypatch.setattr(DiscussionListView, "paginate_by", 2)  # three discussions make two pages
    made = [_discussion(cast, n) for n in range(3)]
    client.force_login(cast.decision_maker)
    first = client.get(DISCUSSIONS, {"sort": "kept"})
    body = first.content.decode()
    assert "3 discussions, the latest first" in body
    assert "?sort=kept&amp;page=2" in body  # the rest of the query string is kept on the page links
    second = client.get(DISCUSSIONS, {"page": "2"})
    shown = [d.pk for d in first.context["discussions"]] + [d.pk for d in second.context["discussions"]]
    assert sorted(shown) == sorted(d.pk for d in made)

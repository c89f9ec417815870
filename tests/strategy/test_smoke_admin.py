import pytest

pytestmark = pytest.mark.django_db


def test_admin_lists(client, cast, discussion, django_user_model):
    cast.decision_maker.is_staff = True
    cast.decision_maker.is_superuser = True
    cast.decision_maker.save()
    client.force_login(cast.decision_maker)
    for url in [
        "/admin/strategy/strategydiscussion/",
        f"/admin/strategy/strategydiscussion/{discussion.pk}/change/",
        "/admin/strategy/thresholddecision/",
        "/admin/strategy/action/",
        "/admin/strategy/strategytimescale/",
    ]:
        assert client.get(url).status_code == 200, url

import pytest
from django.test import Client

from tests.factories import PASSWORD


@pytest.fixture
def browser_like():
    """A client that signs in through the sign-in page, as a person does (no second factor given)."""

    def make(user=None, password=PASSWORD):
        client = Client(REMOTE_ADDR="192.0.2.10", HTTP_USER_AGENT="Test browser/1.0")
        if user is not None:
            response = client.post("/login/", {"username": user.get_username(), "password": password})
            assert response.status_code == 302, response.content[:300]
        return client

    return make

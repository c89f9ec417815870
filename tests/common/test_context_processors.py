"""The header's context (mash/common/context_processors.py): worked out once a request, for the user
signed in at the time."""

import functools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django_otp import middleware as otp

from mash.common.context_processors import service
from tests.second_factor import confirmed_device

pytestmark = pytest.mark.django_db


def verified(user):
    """The user as django-otp's middleware leaves it for a session verified with their device."""
    user.otp_device = confirmed_device(user)
    user.is_verified = functools.partial(otp.is_verified, user)
    return user


def test_a_second_render_of_the_same_request_reads_nothing_again(cast, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = verified(cast.triage)
    first = service(request)
    assert first["signed_in"] and "unread_count" in first
    with django_assert_num_queries(0):
        assert service(request) is first


def test_a_user_signed_in_or_out_during_the_request_gets_their_own_header(cast):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert "signed_in" not in service(request)
    request.user = verified(cast.triage)  # what django.contrib.auth.login does to the request
    assert service(request)["signed_in"]
    request.user = AnonymousUser()  # and logout
    assert "signed_in" not in service(request)


def test_a_second_factor_verified_during_the_request_gets_the_signed_in_header(cast):
    request = RequestFactory().get("/")
    user = request.user = cast.triage
    user.otp_device = None  # signed in by password only, as django-otp's middleware leaves it
    user.is_verified = functools.partial(otp.is_verified, user)
    assert "signed_in" not in service(request)
    user.otp_device = confirmed_device(user)  # what django_otp.login does to the same user
    assert service(request)["signed_in"]

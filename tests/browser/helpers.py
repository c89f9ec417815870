"""Steps that many browser tests share. Each goes through the pages, as a user would."""

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD
from tests.second_factor import confirmed_device, totp_code


def fill_sign_in(page: Page, username: str, password: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def enter_security_code(page: Page, code: str) -> None:
    expect(page.get_by_role("heading", level=1, name="Enter your security code")).to_be_visible()
    page.get_by_label("Security code").fill(code)
    page.get_by_role("button", name="Continue").click()


def pass_second_factor(page: Page, user) -> None:
    """The code the user's authenticator app shows now (the user was enrolled before signing in)."""
    enter_security_code(page, totp_code(confirmed_device(user)))


def sign_in(page: Page, user, password: str = PASSWORD) -> None:
    """Sign in through the login form (django-axes watches it), then the second factor with a real code
    from the user's device (enrolled first if they were not), and land on the home page."""
    confirmed_device(user)
    page.goto("/login/")
    fill_sign_in(page, user.get_username(), password)
    pass_second_factor(page, user)
    expect(page.get_by_role("heading", level=1, name="MASH case management")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()

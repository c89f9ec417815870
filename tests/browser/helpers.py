"""Steps that many browser tests share. Each goes through the pages, as a user would."""

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD


def fill_sign_in(page: Page, username: str, password: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_in(page: Page, user, password: str = PASSWORD) -> None:
    """Sign in through the login form (django-axes watches it) and land on the home page."""
    page.goto("/login/")
    fill_sign_in(page, user.get_username(), password)
    expect(page.get_by_role("heading", level=1, name="MASH case management")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()

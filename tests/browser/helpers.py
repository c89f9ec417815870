"""Steps that many browser tests share. Each goes through the pages, as a user would."""

from datetime import date, datetime

from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

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


def fill_date(page: Page | Locator, legend_or_name: str, value: date | datetime) -> None:
    """Type a date (a datetime: and its time, in local time) into a GOV.UK date input, found in
    ``page`` (a page or a part of it) by its legend, or by the field's name (``date_of_birth``)."""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    parts = {"Day": value.day, "Month": value.month, "Year": value.year}
    if isinstance(value, datetime):
        parts["Time"] = f"{value:%H:%M}"
    named = page.locator(f"[name$='{legend_or_name}-day']")
    if " " not in legend_or_name and named.count() == 1:
        for part, typed in parts.items():
            page.locator(f"[name$='{legend_or_name}-{part.lower()}']").fill(str(typed))
        return
    group = page.get_by_role("group", name=legend_or_name, exact=True)
    for part, typed in parts.items():
        group.get_by_label(part, exact=True).fill(str(typed))

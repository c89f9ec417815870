from datetime import date, datetime, time, timedelta

from django.utils import timezone

from mash.accounts.models import SignInEvent


def sign_in_event_list(
    *, username: str = "", event: str = "", date_from: date | None = None, date_to: date | None = None
):
    rows = SignInEvent.objects.select_related("user", "by")
    if username:
        rows = rows.filter(username__iexact=username)
    if event:
        rows = rows.filter(event=event)
    zone = timezone.get_current_timezone()
    if date_from:
        rows = rows.filter(at__gte=datetime.combine(date_from, time.min, tzinfo=zone))
    if date_to:
        rows = rows.filter(at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone))
    return rows.order_by("-at", "-pk")

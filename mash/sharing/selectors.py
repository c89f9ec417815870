from mash.sharing.models import AccessLog, BreakGlassAccess, Dissemination, ReviewStatus


def access_log_list(*, username: str = "", object_repr: str = ""):
    rows = AccessLog.objects.select_related("user", "agency", "content_type")
    if username:
        rows = rows.filter(user__username=username)
    if object_repr:
        rows = rows.filter(object_repr__istartswith=object_repr)
    return rows.order_by("-at", "-pk")


def break_glass_review_queue():
    return (
        BreakGlassAccess.objects.select_related("user", "content_type")
        .filter(review_status=ReviewStatus.PENDING)
        .order_by("opened_at", "pk")
    )


def dissemination_list():
    return (
        Dissemination.objects.select_related(
            "disseminated_by", "approved_by", "content_type", "person", "request"
        )
        .prefetch_related("request__items__owner_agency", "request__items__decided_by")
        .order_by("-disseminated_at", "-pk")
    )

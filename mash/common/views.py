from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Page, Paginator
from django.http import JsonResponse
from django.views import defaults
from django.views.generic import ListView, TemplateView

from mash.agencies.selectors import actor_for
from mash.common.trays import sections_for


class HomeView(LoginRequiredMixin, TemplateView):
    """The work tray: for each kind of work the user's roles do, what is waiting for them and their
    agency, most urgent first, with counts (mash/common/trays.py)."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        actor = actor_for(self.request.user)
        context["actor"] = actor
        context["roles"] = sorted(actor.roles)
        context["sections"] = sections_for(self.request.user)
        return context


def query_without_page(request, param: str = "page") -> str:
    """The query string of a list page without its page number, for the pagination links."""
    query = request.GET.copy()
    query.pop(param, None)
    return query.urlencode()


class FilteredListView(ListView):
    """A list page filtered by a GET form: the form's valid values are the selector's keywords (an
    invalid filter shows its errors and lists unfiltered), 50 rows a page, and the query string without
    the page number (``query``) for the pagination links. A page sets ``filter_form_class`` and
    ``selector``, a plain function kept on the class (read from the class, it is not a method); with
    ``for_user`` the selector is called with the acting user first, as the case selectors are."""

    filter_form_class = None
    selector = None
    for_user = False
    paginate_by = 50

    def get_queryset(self):
        self.filter_form = self.filter_form_class(self.request.GET or None)
        filters = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        if self.for_user:
            return type(self).selector(self.request.user, **filters)
        return type(self).selector(**filters)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        context["query"] = query_without_page(self.request)
        return context


def page_of(request, rows, param: str, per_page: int = 50) -> Page:
    """One page of one of the lists of a page that shows several, each paged by its own GET parameter
    (``param``) so that paging one leaves the others where they are. The page carries ``param`` and
    ``query`` (the query string without it) for ``includes/pagination.html``::

        {% include "includes/pagination.html" with page_obj=interviews query=interviews.query
           page_param=interviews.param label="Interviews" %}

    A first page that is not full is the whole list: its rows are counted without a COUNT query (so a
    page of three short lists stays within a few queries)."""
    paginator = Paginator(rows, per_page)
    number = request.GET.get(param) or "1"
    if number == "1":
        first = list(rows[:per_page])
        if len(first) < per_page:
            paginator.count = len(first)  # Paginator.count is a cached property: the rows are all here
        page = Page(first, 1, paginator)
    else:
        page = paginator.get_page(number)
    page.param, page.query = param, query_without_page(request, param)
    return page


# Django's error pages, except under /api/, where every error is JSON like the API's own: a path
# no URL pattern matches (``/api/v1/referrals/-1/``) is a 404 in JSON, and so on.


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def bad_request(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": "Bad request."}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": "You do not have permission to perform this action."}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": "Server error."}, status=500)
    return defaults.server_error(request)

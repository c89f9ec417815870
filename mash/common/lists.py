"""A list through the API = a selector + a query serializer (the page's equivalent is
``mash.common.views.FilteredListView``)."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import generics

from mash.agencies.selectors import actor_for


class SelectorListAPI(generics.ListAPIView):
    """A list endpoint: a selector's rows for the acting user (so the sharing policy applies), filtered
    by the query's values and paged. A list sets ``serializer_class`` (a row), ``model``, ``selector``
    (a plain function ``selector(user, **filters)``, read from the class), and, where it has them,
    ``filter_class`` (a ``QuerySerializer``), ``summary``, and ``allowed`` (a predicate on the actor, with
    ``refusal`` its 403's words). ``select`` says more where a list needs it. The schema entry (summary,
    query parameters) is made here, once; a schema run, having no user, gets an empty list."""

    model = None
    selector = None
    filter_class = None
    summary = ""
    allowed = None
    refusal = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "get" not in cls.__dict__ and (cls.summary or cls.filter_class):
            schema = {"summary": cls.summary} if cls.summary else {}
            if cls.filter_class is not None:
                schema["parameters"] = [cls.filter_class]

            def get(self, request, *args, **kwargs):
                return SelectorListAPI.get(self, request, *args, **kwargs)

            cls.get = extend_schema(**schema)(get)

    def get(self, request, *args, **kwargs):
        if self.allowed is not None and not type(self).allowed(actor_for(request.user)):
            raise PermissionDenied(self.refusal)
        return super().get(request, *args, **kwargs)

    def select(self, user, **filters):
        return type(self).selector(user, **filters)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user to ask about
            return self.model.objects.none()
        filters = {}
        if self.filter_class is not None:
            query = self.filter_class(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            filters = query.validated_data
        return self.select(self.request.user, **filters)

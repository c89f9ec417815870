"""The inspection lists through the API: a list's rows for a period, a page at a time, each row an
object keyed by the column's key (dates as ISO dates), with the columns' Annex A headings. The lead
agency's MASH managers only (403 otherwise); each record of the page is logged as read."""

from datetime import date

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.views import APIView

from mash.common.api import Pagination
from mash.measures import inspection
from mash.measures.api import MeasuresPeriodQuerySerializer
from mash.sharing.models import AccessAction
from mash.sharing.services import records_shown


class ListQuerySerializer(MeasuresPeriodQuerySerializer):
    """The dashboards' period, without the breakdown (a list is a row per child)."""

    by = None


def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    return value


class InspectionListAPI(APIView):
    pagination_class = Pagination

    @extend_schema(
        summary="An inspection list (ILACS Annex A) for a period: the lead agency's MASH managers",
        parameters=[
            ListQuerySerializer,
            OpenApiParameter("page", int, description="The page, from 1."),
            OpenApiParameter("page_size", int, description="Rows a page, 1 to 200 (default 50)."),
        ],
        responses=inline_serializer(
            "InspectionListPage",
            {
                "list": serializers.CharField(),
                "number": serializers.IntegerField(help_text="Annex A's number of the list."),
                "title": serializers.CharField(),
                "first_day": serializers.DateField(),
                "last_day": serializers.DateField(),
                "columns": inline_serializer(
                    "InspectionColumn",
                    {"key": serializers.CharField(), "heading": serializers.CharField()},
                    many=True,
                ),
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": serializers.ListField(
                    child=serializers.DictField(), help_text="A row per child: the columns' keys."
                ),
            },
        ),
    )
    def get(self, request, key: str):
        inspection.check_allowed(request.user)
        item = inspection.list_of(key)
        query = ListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        period = query.validated_data["period_obj"]
        rows = item.rows(request.user, period)
        paginator = self.pagination_class()
        records = paginator.paginate_queryset(rows.records, request, view=self)
        records_shown(user=request.user, objs=rows.shown(records), request=request, action=AccessAction.VIEW)
        results = [
            {heading.key: _plain(value) for heading, value in zip(item.headings, row, strict=True)}
            for row in rows.build(records)
        ]
        response = paginator.get_paginated_response(results)
        response.data = {
            "list": item.key,
            "number": item.number,
            "title": item.title,
            "first_day": period.first,
            "last_day": period.last,
            "columns": [{"key": h.key, "heading": h.heading} for h in item.headings],
            **response.data,
        }
        return response

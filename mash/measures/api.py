"""The dashboards as an API: the same measures, for the same viewers, in the same shape as the tables
on the pages (MASH managers and partnership board members; 403 otherwise)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from mash.common.api import QuerySerializer
from mash.measures import periods, services
from mash.measures.tables import plain


class MeasuresPeriodQuerySerializer(QuerySerializer):
    period = serializers.ChoiceField(
        choices=[value for value, _ in periods.CHOICES],
        required=False,
        default=periods.DEFAULT,
        help_text="This week, this month, this quarter, the last 12 months (year), or dates "
        "(`since`, `until`).",
    )
    since = serializers.DateField(required=False, help_text="The first day, with `period=dates`.")
    until = serializers.DateField(required=False, help_text="The last day (inclusive), with `period=dates`.")
    by = serializers.ChoiceField(
        choices=[value for value, _ in periods.BY_CHOICES if value],
        required=False,
        default="",
        help_text="Break the figures down by month or by agency.",
    )

    def validate(self, data):
        try:
            data["period_obj"] = periods.period_of(data.get("period"), data.get("since"), data.get("until"))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        return data


class MeasureColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=["text", "count", "percent", "hours", "days"])


class MeasureTableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    caption = serializers.CharField()
    columns = MeasureColumnSerializer(many=True)
    rows = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField()

    def get_rows(self, table) -> list[list[str | float | None]]:
        return [[plain(value) for value in row] for row in table.rows]

    def get_total(self, table) -> list[str | float | None] | None:
        return None if table.total is None else [plain(value) for value in table.total]


class MeasureSerializer(serializers.Serializer):
    key = serializers.CharField(source="measure.key")
    title = serializers.CharField(source="measure.title")
    tables = MeasureTableSerializer(many=True)


class MeasuresDashboardSerializer(serializers.Serializer):
    dashboard = serializers.CharField()
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    by = serializers.CharField()
    as_at = serializers.DateTimeField(
        allow_null=True, help_text="When the figures were built (they are cached for a few minutes)."
    )
    measures = MeasureSerializer(many=True)


class DashboardAPI(APIView):
    @extend_schema(
        summary="A dashboard's measures for a period (MASH managers and partnership board members)",
        parameters=[MeasuresPeriodQuerySerializer],
        responses=MeasuresDashboardSerializer,
    )
    def get(self, request, key: str):
        services.viewer_for(request.user)
        dashboard = services.dashboard_of(key)
        query = MeasuresPeriodQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        period = query.validated_data["period_obj"]
        by = query.validated_data.get("by", "")
        built = services.build_dashboard(request.user, dashboard.key, period, by)
        data = {
            "dashboard": dashboard.key,
            "first_day": period.first,
            "last_day": period.last,
            "by": by,
            "as_at": services.as_at(built),
            "measures": built,
        }
        return Response(MeasuresDashboardSerializer(data).data)

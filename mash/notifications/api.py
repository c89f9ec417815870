from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from mash.common.lists import SelectorListAPI
from mash.notifications import services
from mash.notifications.models import Notification
from mash.notifications.selectors import inbox_for, unread_count_for


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "event", "title", "body", "url", "created_at", "read_at"]
        read_only_fields = fields


class InboxAPI(SelectorListAPI):
    serializer_class = NotificationSerializer
    model, selector = Notification, inbox_for


class ReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        allow_null=True,
        default=None,
        help_text="The messages to mark read; all unread messages when left out.",
    )


class UnreadSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
    unread = serializers.IntegerField()


class MarkReadAPI(APIView):
    @extend_schema(request=ReadSerializer, responses=UnreadSerializer)
    def post(self, request):
        data = ReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marked = services.mark_read(user=request.user, ids=data.validated_data["ids"])
        return Response({"marked": marked, "unread": unread_count_for(request.user)})

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from mash.agencies.models import Agency
from mash.agencies.selectors import actor_for


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "kind", "is_lead", "is_active"]
        read_only_fields = fields


class AgencyListAPI(generics.ListAPIView):
    serializer_class = AgencySerializer
    queryset = Agency.objects.filter(is_active=True).order_by("name")


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    agency = AgencySerializer(allow_null=True)
    roles = serializers.ListField(child=serializers.CharField())


class MeAPI(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        actor = actor_for(request.user)
        return Response(
            {
                "username": request.user.get_username(),
                "full_name": request.user.get_full_name(),
                "agency": AgencySerializer(actor.agency).data if actor.agency else None,
                "roles": sorted(actor.roles),
            }
        )

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from mash.agencies.selectors import actor_for
from mash.common.api import QuerySerializer
from mash.people import selectors, services
from mash.people.models import Gender, Person
from mash.people.policy import may_create_person
from mash.sharing.serializers import AudienceListMixin, AudienceSerializer


class PersonSerializer(AudienceSerializer, serializers.ModelSerializer):
    """A person: whole for those who see every person, who they are (mash/people/policy.py's partner
    fields) for an agency that sees them through a grant."""

    audience_model = Person

    class Meta:
        model = Person
        fields = [
            "id",
            "given_name",
            "family_name",
            "aliases",
            "date_of_birth",
            "approximate_age",
            "gender",
            "nhs_number",
            "address",
            "postcode",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PersonCreateSerializer(serializers.Serializer):
    given_name = serializers.CharField(max_length=100)
    family_name = serializers.CharField(max_length=100)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    approximate_age = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=130)
    gender = serializers.ChoiceField(choices=Gender.choices, default=Gender.UNKNOWN)
    nhs_number = serializers.CharField(required=False, allow_blank=True, max_length=12, default="")
    aliases = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    address = serializers.CharField(required=False, allow_blank=True, default="")
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=10, default="")


class PersonSearchSerializer(QuerySerializer):
    search = serializers.CharField(required=False, allow_blank=True, default="")


class MatchSerializer(serializers.Serializer):
    person = PersonSerializer()
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())


class PersonListCreateAPI(AudienceListMixin, generics.ListAPIView):
    serializer_class = PersonSerializer

    @extend_schema(
        parameters=[OpenApiParameter("search", str, description="Start of a given or family name.")]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # Through a serializer, so a bad value (a NUL character, which PostgreSQL refuses) is a 400.
        query = PersonSearchSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.person_list_for(self.request.user, search=query.validated_data["search"])

    @extend_schema(request=PersonCreateSerializer, responses={201: PersonSerializer})
    def post(self, request):
        from rest_framework.exceptions import PermissionDenied

        if not may_create_person(actor_for(request.user)):
            raise PermissionDenied("Your role may not add people.")
        data = PersonCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = services.person_create(**data.validated_data)
        return Response(PersonSerializer(person, context={"request": request}).data, status=201)


class PersonDetailAPI(APIView):
    @extend_schema(responses=PersonSerializer)
    def get(self, request, pk: int):
        person = selectors.person_get_for(request.user, pk, request=request)
        return Response(PersonSerializer(person, context={"request": request}).data)


class MatchQuerySerializer(QuerySerializer):
    given_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    family_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    nhs_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=12)


class PersonMatchAPI(APIView):
    @extend_schema(
        parameters=[MatchQuerySerializer],
        responses=MatchSerializer(many=True),
    )
    def get(self, request):
        query = MatchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        matches = selectors.person_matches_for(request.user, **query.validated_data)
        return Response(MatchSerializer(matches, many=True, context={"request": request}).data)

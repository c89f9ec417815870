from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from mash.agencies.selectors import actor_for
from mash.common.api import MAX_ID, QuerySerializer
from mash.people import selectors, services
from mash.people.chronology import chronology_for
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


def _text(max_length: int | None = None, **kwargs):
    return serializers.CharField(max_length=max_length, allow_blank=True, default="", **kwargs)


def known_person_field(**kwargs):
    """The id of a known person, for a case app's input (null: a new person)."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, allow_null=True, default=None, **kwargs)


class PersonChoiceSerializer(serializers.Serializer):
    """A known person by id (the field ``id_field``, which a case app's input declares), or the
    details of a new one. Validated, it is the case app's input (``choice_class``): whether the user
    may name the known person, or add a new one, is the service's question (``person_resolve``)."""

    choice_class = services.PersonChoice
    id_field = "person"
    NEW_PERSON_FIELDS = ("given_name", "family_name", "date_of_birth", "approximate_age", "nhs_number")

    given_name = _text(100)
    family_name = _text(100)
    date_of_birth = serializers.DateField(allow_null=True, default=None)
    approximate_age = serializers.IntegerField(min_value=0, max_value=130, allow_null=True, default=None)
    gender = serializers.ChoiceField(choices=Gender.choices, default=Gender.UNKNOWN)
    nhs_number = _text(12, help_text="10 digits; spaces and hyphens are ignored.")
    address = _text()
    postcode = _text(10)

    def validate(self, attrs):
        known = attrs.pop(self.id_field)
        if known is not None:
            if any(attrs[field] not in ("", None) for field in self.NEW_PERSON_FIELDS):
                raise serializers.ValidationError(
                    {self.id_field: "Give a known person's id or a new person's details, not both."}
                )
        else:
            missing = [field for field in ("given_name", "family_name") if not attrs[field]]
            if missing:
                raise serializers.ValidationError(
                    {
                        field: f"Give the new person's name, or the id of a known person ({self.id_field})."
                        for field in missing
                    }
                )
        return self.choice_class(person=known, **attrs)


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
        people = selectors.person_list_for(self.request.user, search=query.validated_data["search"])
        return people.only(*PersonSerializer.Meta.fields)  # what a row shows: not the phonetic keys

    @extend_schema(request=PersonCreateSerializer, responses={201: PersonSerializer})
    def post(self, request):
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


class ChronologyEventSerializer(serializers.Serializer):
    """One event of a person's chronology, as the viewer may see it (each source decided)."""

    at = serializers.DateTimeField()
    kind = serializers.CharField(help_text="What happened: 'Referral received', 'Answer from ...'.")
    category = serializers.CharField(help_text="The kind of record: 'Referral', 'Missing episode'...")
    title = serializers.CharField(help_text="The record's reference.")
    summary = serializers.CharField()
    url = serializers.CharField(help_text="The record's page, when the viewer may open it; empty otherwise.")
    agency = serializers.SerializerMethodField(
        help_text="The agency whose information it is, if not the MASH's."
    )

    def get_agency(self, event) -> str | None:
        return event.agency.name if event.agency is not None else None


class PersonChronologyAPI(generics.ListAPIView):
    """A person's chronology, oldest first: whoever may see the person, each event as the sharing
    policy lets them see it (the same as /people/<id>/chronology/). The read is logged."""

    serializer_class = ChronologyEventSerializer

    def get_queryset(self):
        person = selectors.person_get_for(self.request.user, self.kwargs["pk"], request=self.request)
        events = chronology_for(self.request.user, person)
        selectors.chronology_read(self.request.user, person, events, request=self.request)
        return events

import factory
from django.contrib.auth import get_user_model

from mash.agencies.models import AgencyKind
from mash.agencies.services import agency_create, membership_set
from mash.people.services import person_create

PASSWORD = "correct-horse-battery-staple"


class AgencyFactory(factory.Factory):
    class Meta:
        model = dict

    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = AgencyKind.OTHER
    is_lead = False

    @classmethod
    def _create(cls, model_class, **kwargs):
        return agency_create(**kwargs)

    @classmethod
    def _build(cls, model_class, **kwargs):
        return cls._create(model_class, **kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@mash.invalid")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def member(agency, *roles, username=None, **user_fields):
    """A user of ``agency`` holding ``roles``."""
    fields = dict(user_fields)
    if username:
        fields["username"] = username
    user = UserFactory(**fields)
    membership_set(user=user, agency=agency, roles=roles)
    return user


class PersonFactory(factory.Factory):
    class Meta:
        model = dict

    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=1, maximum_age=17)
    gender = "unknown"
    nhs_number = ""

    @classmethod
    def _create(cls, model_class, **kwargs):
        return person_create(**kwargs)

    @classmethod
    def _build(cls, model_class, **kwargs):
        return cls._create(model_class, **kwargs)


def api_token(user, name: str = "tests") -> str:
    """A new API token of ``user``: the token itself, as a client sends it (``Token <token>``)."""
    from mash.tokens.services import api_token_create

    return api_token_create(user=user, name=name)[1]

"""Output serializers that show each viewer what their audience of a record allows (the policy)."""

from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

from mash.sharing import policy

FULL_ONLY = "Only for the record's full audience (see the README's security model): left out for partners."


class AudienceSerializer(serializers.Serializer):
    """Shows only the fields the viewer's audience of the record allows.

    ``audience_model`` is the model whose rule decides. A field is named in the rule by its serializer
    name unless ``audience_names`` maps it to another (e.g. ``due_at`` is part of ``decision_clock``).
    The audience comes from the context's ``audience`` (a list view sets it once for every row, from
    ``policy.list_audience``) or is asked of the policy for the record and the request's user. A field
    the partner audience may not see is documented as optional, so the schema tells the truth.
    """

    audience_model = None
    audience_names: dict[str, str] = {}

    def _policy_name(self, field_name: str) -> str:
        return self.audience_names.get(field_name, field_name)

    def get_fields(self):
        fields = super().get_fields()
        rule = policy.rule_for(self.audience_model)
        for name, field in fields.items():
            if self._policy_name(name) not in rule.partner_fields:
                field.required = False
                field.help_text = f"{field.help_text} {FULL_ONLY}".strip() if field.help_text else FULL_ONLY
        return fields

    def partner_hidden(self) -> set[str]:
        rule = policy.rule_for(self.audience_model)
        return {name for name in self.fields if self._policy_name(name) not in rule.partner_fields}

    def audience_for(self, instance) -> policy.Audience | None:
        if "audience" in self.context:
            return self.context["audience"]
        request = self.context.get("request")
        if request is None:
            return None
        return policy.audience_of(request.user, instance)

    def to_representation(self, instance):
        audience = self.audience_for(instance)
        data = {}
        for field in self._readable_fields:
            if not policy.shows(audience, self.audience_model, self._policy_name(field.field_name)):
                continue
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            value = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            data[field.field_name] = None if value is None else field.to_representation(attribute)
        return data


class AudienceListMixin:
    """For a list view of an AudienceSerializer: the audience is the same for every row (the list is
    filtered by ``policy.visible``), so it is decided once, not once a row."""

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            model = self.get_serializer_class().audience_model
            context["audience"] = policy.list_audience(self.request.user, model)
        return context


class AudienceSerializerSchema(OpenApiSerializerExtension):
    """A field a partner may not see is optional in the schema, read-only fields included (which
    drf-spectacular would otherwise list as required)."""

    target_class = AudienceSerializer
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        hidden = self.target.partner_hidden()
        if "required" in schema:
            schema["required"] = [name for name in schema["required"] if name not in hidden]
            if not schema["required"]:
                del schema["required"]
        return schema

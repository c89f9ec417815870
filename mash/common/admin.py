from django.contrib import admin
from django.http import Http404

from mash.agencies.roles import Role
from mash.agencies.selectors import actor_for
from mash.sharing import policy
from mash.sharing.services import record_read


class ReadOnlyAdmin(admin.ModelAdmin):
    """Logs and records that only their services write."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class GrantAdmin(ReadOnlyAdmin):
    """A django-guardian grant table, read as a list naming the record by its id only. A grant's own
    page would be titled with the record's name (a person's, a referral's reference): case content,
    and admin rights alone show none."""

    list_display_links = None

    def has_view_permission(self, request, obj=None):
        return obj is None and super().has_view_permission(request)


class GovernanceOnlyAdmin(ReadOnlyAdmin):
    """Logs that copy case content (a record's name, a reason, what was shared): information
    governance reads them, nobody else, superusers included."""

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff and actor_for(request.user).has(Role.INFORMATION_GOVERNANCE)


def object_by_id(queryset, object_id):
    """The row an admin URL names, or None (an id that is not a number names none)."""
    return queryset.filter(pk=object_id).first() if str(object_id).isdigit() else None


def read_as_part_of(request, obj, record):
    """``obj`` as the admin may open it, read as part of ``record`` (the case record it belongs to, or
    itself): the read of the record is in the access log, or its refusal. A refusal is None, and the
    admin shows its own 'not found'. Every admin page of case content opens its object through here."""
    try:
        record_read(user=request.user, obj=record, request=request)
    except Http404:  # the refusal is logged; the admin shows its own 'not found'
        return None
    return obj


class CaseAdminMixin:
    """Admin pages for case records ask the sharing policy, like every other view: admin rights
    alone show no case content, and every record opened is in the access log."""

    def get_queryset(self, request):
        return policy.visible(request.user, super().get_queryset(request))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Not in the policy-filtered queryset: log the refusal if the record exists.
            existing = object_by_id(self.model._default_manager.all(), object_id)
            if existing is not None:
                read_as_part_of(request, existing, existing)
            return None
        return read_as_part_of(request, obj, obj)


def _shown_fields(admin_fields, audience, model) -> list:
    return [name for name in admin_fields if not isinstance(name, str) or policy.shows(audience, model, name)]


class CaseAudienceMixin(CaseAdminMixin):
    """A case record's admin shows each viewer what their audience of the record allows, as every
    page and endpoint does: a partner agency's staff user sees the rule's partner fields, and an inline
    only when its part is one of them (mash/sharing/policy.py)."""

    def get_list_display(self, request):
        audience = policy.list_audience(request.user, self.model)
        return _shown_fields(super().get_list_display(request), audience, self.model) or ["pk"]

    def get_list_display_links(self, request, list_display):
        links = super().get_list_display_links(request, list_display)
        return [name for name in links or () if name in list_display] or list_display[:1]

    def get_search_fields(self, request):
        # A search must not find a record by a field its viewer may not see.
        audience = policy.list_audience(request.user, self.model)
        fields = super().get_search_fields(request)
        return [name for name in fields if policy.shows(audience, self.model, name.split("__")[0])]

    def has_change_permission(self, request, obj=None):
        # A partner reads the fields its audience shows; changing a record is for its full audience.
        if obj is not None and policy.audience_of(request.user, obj) != policy.Audience.FULL:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and policy.audience_of(request.user, obj) != policy.Audience.FULL:
            return False
        return super().has_delete_permission(request, obj)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is None:
            return fields
        return _shown_fields(fields, policy.audience_of(request.user, obj), self.model)

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if obj is None:
            return inlines
        audience = policy.audience_of(request.user, obj)
        return [i for i in inlines if policy.shows(audience, self.model, policy.part_for(i.model).name)]


def _path_to_record(model) -> tuple[str, type, str]:
    """From a part's model to the record of a rule it belongs to: the lookup, the record's model, and
    the name the record's rule gives the part that leads there."""
    lookups = []
    while not policy.is_case_model(model):
        part = policy.part_for(model)
        lookups.append(part.parent)
        model = model._meta.get_field(part.parent).related_model
    return "__".join(lookups), model, part.name


class PartAdminMixin:
    """The admin of a part (mash/sharing/policy.py's ``Part``): read as part of its record, so it lists
    only the parts of records the viewer may see whose audience shows the part, and opening one logs
    the read (or the refusal) of its record."""

    def get_queryset(self, request):
        lookup, record_model, name = _path_to_record(self.model)
        queryset = super().get_queryset(request)
        if not policy.shows(policy.list_audience(request.user, record_model), record_model, name):
            return queryset.none()
        records = policy.visible(request.user, record_model.objects.all())
        shown = policy.part_for(self.model).shown_filter(actor_for(request.user))
        return queryset.filter(**{f"{lookup}__in": records}).filter(shown)

    def get_object(self, request, object_id, from_field=None):
        obj = object_by_id(self.model._default_manager.all(), object_id)
        if obj is None:
            return None
        record = obj
        while not policy.is_case_model(type(record)):
            record = getattr(record, policy.part_for(record).parent)
        if read_as_part_of(request, obj, record) is None:
            return None
        return obj if policy.may_see_field(request.user, obj, "pk") else None

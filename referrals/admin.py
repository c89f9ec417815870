from django.contrib import admin
from django.db.models import Q

from mash.agencies.selectors import actor_for
from mash.common.admin import CaseAdminMixin, GrantAdmin, ReadOnlyAdmin, object_by_id, read_as_part_of
from mash.sharing import policy
from referrals.models import (
    Consultation,
    ConsultationGroupObjectPermission,
    InformationRequest,
    InformationRequestGroupObjectPermission,
    QuestionTemplate,
    RagRating,
    RagTimescale,
    ReferenceCounter,
    Referral,
    ReferralGroupObjectPermission,
    ReferralSubject,
    ResponseEntry,
    TimelineEvent,
)


class SubjectInline(admin.TabularInline):
    model = ReferralSubject
    fields = ["person", "role"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class TimelineInline(admin.TabularInline):
    model = TimelineEvent
    fields = ["at", "by", "kind", "from_state", "to_state", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Referral)
class ReferralAdmin(CaseAdminMixin, ReadOnlyAdmin):
    """Referrals change only through their services (the pages and the API); here they are read."""

    list_display = ["reference", "kind", "state", "rag", "received_at", "assigned_to"]
    list_filter = ["state", "rag", "kind", "channel"]
    search_fields = ["reference"]
    list_select_related = ["assigned_to"]
    inlines = [SubjectInline, TimelineInline]
    exclude = ["concerns"]
    readonly_fields = ["concern_list"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff

    @admin.display(description="concerns")
    def concern_list(self, obj):
        return ", ".join(obj.concerns)


@admin.register(Consultation)
class ConsultationAdmin(CaseAdminMixin, ReadOnlyAdmin):
    list_display = ["called_at", "caller_name", "caller_organisation", "referral_advised", "referral"]
    list_filter = ["referral_advised", "kind"]
    list_select_related = ["referral"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff


@admin.register(RagRating)
class RagRatingAdmin(ReadOnlyAdmin):
    list_display = ["referral", "rating", "previous", "at", "by"]
    list_select_related = ["referral", "by"]

    def get_queryset(self, request):
        visible = policy.visible(request.user, Referral.objects.all())
        return super().get_queryset(request).filter(referral__in=visible)


@admin.register(ReferenceCounter)
class ReferenceCounterAdmin(ReadOnlyAdmin):
    list_display = ["year", "last"]


@admin.register(ReferralGroupObjectPermission)
class ReferralGrantAdmin(GrantAdmin):
    """Grants are made by the work (an information request sent), never by hand here."""

    list_display = ["group", "permission", "content_object_id"]
    list_filter = ["group"]


@admin.register(ConsultationGroupObjectPermission)
class ConsultationGrantAdmin(GrantAdmin):
    list_display = ["group", "permission", "content_object_id"]


def _answers_shown(request, entries):
    """An answer is its agency's until submitted: no other agency (the lead included) sees a draft."""
    return entries.filter(
        Q(request__answered_at__isnull=False) | Q(request__agency_id=actor_for(request.user).agency_id)
    )


class EntryInline(admin.TabularInline):
    model = ResponseEntry
    fields = [
        "person",
        "nothing_known",
        "summary",
        "source_evaluation",
        "intelligence_assessment",
        "handling_code",
        "handling_conditions",
        "is_addendum",
        "author",
        "created_at",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return _answers_shown(request, super().get_queryset(request))


@admin.register(InformationRequest)
class InformationRequestAdmin(CaseAdminMixin, ReadOnlyAdmin):
    """Requests and answers change only through their services; here the policy decides what is read."""

    list_display = ["referral", "agency", "status", "sent_at", "assigned_to"]
    list_filter = ["status", "agency"]
    list_select_related = ["referral", "agency", "assigned_to"]
    inlines = [EntryInline]

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff


@admin.register(ResponseEntry)
class ResponseEntryAdmin(ReadOnlyAdmin):
    list_display = ["request", "person", "summary", "handling_code", "is_addendum", "created_at"]
    list_select_related = ["request__referral", "request__agency", "person"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff

    def get_queryset(self, request):
        visible = policy.visible(request.user, InformationRequest.objects.all())
        return _answers_shown(request, super().get_queryset(request).filter(request__in=visible))

    def get_object(self, request, object_id, from_field=None):
        # An entry is read as part of its request: the request's read (or refusal) is what is logged.
        entry = object_by_id(ResponseEntry.objects.select_related("request"), object_id)
        if entry is None or read_as_part_of(request, entry, entry.request) is None:
            return None
        if not _answers_shown(request, ResponseEntry.objects.filter(pk=entry.pk)).exists():
            return None  # another agency's draft: the admin shows its own 'not found'
        return entry


@admin.register(RagTimescale)
class RagTimescaleAdmin(admin.ModelAdmin):
    list_display = ["rag", "basis", "amount"]


@admin.register(QuestionTemplate)
class QuestionTemplateAdmin(admin.ModelAdmin):
    list_display = ["agency_kind", "text", "position", "is_active"]
    list_filter = ["agency_kind", "is_active"]


@admin.register(InformationRequestGroupObjectPermission)
class InformationRequestGrantAdmin(GrantAdmin):
    list_display = ["group", "permission", "content_object_id"]
    list_filter = ["group"]

from django.contrib import admin

from mash.common.admin import CaseAudienceMixin, GrantAdmin, PartAdminMixin, ReadOnlyAdmin
from strategy.models import (
    Action,
    Addendum,
    AnswerRating,
    Invitation,
    StrategyDiscussion,
    StrategyDiscussionGroupObjectPermission,
    StrategyTimescale,
    SubjectDecision,
    ThresholdDecision,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class InvitationInline(ReadOnlyInline):
    model = Invitation
    fields = readonly_fields = ["agency", "user", "attendance"]


class DecisionInline(ReadOnlyInline):
    model = SubjectDecision
    fields = readonly_fields = ["person", "decision", "rationale", "finding", "conference_clock"]


class ActionInline(ReadOnlyInline):
    model = Action
    fields = readonly_fields = ["description", "owner_agency", "owner", "due_on", "status", "completed_at"]


class AddendumInline(ReadOnlyInline):
    model = Addendum
    fields = readonly_fields = ["at", "by", "text"]


@admin.register(StrategyDiscussion)
class StrategyDiscussionAdmin(CaseAudienceMixin, ReadOnlyAdmin):
    """Discussions change only through their services; the policy decides what is read here."""

    list_display = ["referral", "scheduled_at", "mode", "chair", "status"]
    list_filter = ["status", "mode"]
    list_select_related = ["referral", "chair"]
    search_fields = ["referral__reference"]
    inlines = [InvitationInline, DecisionInline, ActionInline, AddendumInline]

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff


@admin.register(ThresholdDecision)
class ThresholdDecisionAdmin(CaseAudienceMixin, ReadOnlyAdmin):
    list_display = ["referral", "required", "decided_by", "decided_at"]
    list_filter = ["required"]
    list_select_related = ["referral", "decided_by"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff


@admin.register(Action)
class ActionAdmin(PartAdminMixin, ReadOnlyAdmin):
    """Actions are read as part of their discussion: the policy decides, as for the discussion."""

    list_display = ["description", "owner_agency", "owner", "due_on", "status"]
    list_filter = ["status"]
    list_select_related = ["owner_agency", "owner"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff


@admin.register(AnswerRating)
class AnswerRatingAdmin(PartAdminMixin, ReadOnlyAdmin):
    """Ratings of answers, read as part of the rated request (the policy decides); as the threshold
    decisions' list leaves out their rationale, this one leaves out the reason: it is read on the
    dashboard's list of answers not sufficient, where the read is logged."""

    list_display = ["request", "agency", "sufficient", "rated_at"]
    list_filter = ["sufficient"]
    list_select_related = ["request__agency", "request__referral"]
    fields = readonly_fields = ["threshold_decision", "request", "sufficient", "rated_by", "rated_at"]

    @admin.display(description="Agency", ordering="request__agency__name")
    def agency(self, rating):
        return rating.request.agency

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff


@admin.register(StrategyTimescale)
class StrategyTimescaleAdmin(admin.ModelAdmin):
    """Reference data: how soon a discussion must be held, by RAG rating."""

    list_display = ["rag", "basis", "amount"]


@admin.register(StrategyDiscussionGroupObjectPermission)
class StrategyDiscussionGrantAdmin(GrantAdmin):
    """Grants follow the discussion (invited, attended), never made by hand here."""

    list_display = ["group", "permission", "content_object_id"]
    list_filter = ["group"]

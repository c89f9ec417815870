from django.urls import path

from mash.retention.api import RetentionDecisionAPI, RetentionQueueAPI

urlpatterns = [
    path("retention/queue/", RetentionQueueAPI.as_view(), name="api-retention-queue"),
    path("retention/decisions/", RetentionDecisionAPI.as_view(), name="api-retention-decisions"),
]

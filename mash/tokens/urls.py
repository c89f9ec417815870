from django.urls import path

from mash.tokens import views

app_name = "tokens"
urlpatterns = [
    path("", views.ApiTokensView.as_view(), name="list"),
    path("<int:pk>/revoke/", views.ApiTokenRevokeView.as_view(), name="revoke"),
]

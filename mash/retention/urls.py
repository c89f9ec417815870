from django.urls import path

from mash.retention import views

app_name = "retention"
urlpatterns = [
    path("", views.QueueView.as_view(), name="queue"),
    path("rules/", views.RulesView.as_view(), name="rules"),
    path("holds/", views.HoldsView.as_view(), name="holds"),
    path("holds/<int:pk>/lift/", views.HoldLiftView.as_view(), name="hold_lift"),
    path("<str:kind>/<int:pk>/", views.RecordView.as_view(), name="record"),
]

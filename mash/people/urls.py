from django.urls import path

from mash.people import views

app_name = "people"
urlpatterns = [
    path("", views.PersonListView.as_view(), name="list"),
    path("new/", views.PersonCreateView.as_view(), name="create"),
    path("match/", views.PersonMatchView.as_view(), name="match"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="detail"),
    path("<int:pk>/chronology/", views.PersonChronologyView.as_view(), name="chronology"),
    path("<int:pk>/chronology/print/", views.PersonChronologyPrintView.as_view(), name="chronology_print"),
]

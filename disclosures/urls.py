from django.urls import path

from disclosures import views

app_name = "disclosures"
urlpatterns = [
    path("", views.QueueView.as_view(), name="queue"),
    path("new/", views.IntakeView.as_view(), name="intake"),
    path("<int:pk>/", views.ApplicationView.as_view(), name="application"),
    path("<int:pk>/initial-checks/", views.InitialCheckView.as_view(), name="initial_checks"),
    path("<int:pk>/verification/", views.VerificationView.as_view(), name="verification"),
    path("<int:pk>/researcher/", views.AssignView.as_view(), name="assign"),
    path("<int:pk>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path("<int:pk>/forum/", views.ForumView.as_view(), name="forum"),
    path("<int:pk>/decision/", views.DecisionView.as_view(), name="decision"),
    path("<int:pk>/disclosure/", views.DisclosureView.as_view(), name="disclosure"),
    path("packages/<int:pk>/", views.PackageView.as_view(), name="package"),
    path("packages/<int:pk>/summary/", views.SummaryView.as_view(), name="package_summary"),
    path("packages/<int:pk>/submit/", views.SubmitView.as_view(), name="package_submit"),
    path("packages/<int:pk>/return/", views.ReturnView.as_view(), name="package_return"),
    path("packages/<int:pk>/sections/<int:section_pk>/", views.SectionSaveView.as_view(), name="section"),
    path(
        "packages/<int:pk>/sections/<int:section_pk>/entries/", views.EntryAddView.as_view(), name="entry_add"
    ),
    path("packages/<int:pk>/entries/<int:entry_pk>/", views.EntryEditView.as_view(), name="entry_edit"),
]

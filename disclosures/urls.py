from django.urls import path

from disclosures.views import application, intake, package, queue

app_name = "disclosures"
urlpatterns = [
    path("", queue.QueueView.as_view(), name="queue"),
    path("new/", intake.IntakeView.as_view(), name="intake"),
    path("<int:pk>/", application.ApplicationView.as_view(), name="application"),
    path("<int:pk>/initial-checks/", application.InitialCheckView.as_view(), name="initial_checks"),
    path("<int:pk>/verification/", application.VerificationView.as_view(), name="verification"),
    path("<int:pk>/researcher/", application.AssignView.as_view(), name="assign"),
    path("<int:pk>/withdraw/", application.WithdrawView.as_view(), name="withdraw"),
    path("<int:pk>/forum/", application.ForumView.as_view(), name="forum"),
    path("<int:pk>/decision/", application.DecisionView.as_view(), name="decision"),
    path("<int:pk>/disclosure/", application.DisclosureView.as_view(), name="disclosure"),
    path("packages/<int:pk>/", package.PackageView.as_view(), name="package"),
    path("packages/<int:pk>/summary/", package.SummaryView.as_view(), name="package_summary"),
    path("packages/<int:pk>/submit/", package.SubmitView.as_view(), name="package_submit"),
    path("packages/<int:pk>/return/", package.ReturnView.as_view(), name="package_return"),
    path("packages/<int:pk>/sections/<int:section_pk>/", package.SectionSaveView.as_view(), name="section"),
    path(
        "packages/<int:pk>/sections/<int:section_pk>/entries/",
        package.EntryAddView.as_view(),
        name="entry_add",
    ),
    path("packages/<int:pk>/entries/<int:entry_pk>/", package.EntryEditView.as_view(), name="entry_edit"),
]

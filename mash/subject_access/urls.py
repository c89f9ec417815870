from django.urls import path

from mash.subject_access import views

app_name = "subject_access"
urlpatterns = [
    path("", views.RequestListView.as_view(), name="list"),
    path("new/", views.RequestCreateView.as_view(), name="create"),
    path("<int:pk>/", views.RequestDetailView.as_view(), name="detail"),
    path("<int:pk>/verify/", views.VerifyView.as_view(), name="verify"),
    path("<int:pk>/extend/", views.ExtendView.as_view(), name="extend"),
    path("<int:pk>/compile/", views.CompileView.as_view(), name="compile"),
    path("<int:pk>/respond/", views.RespondView.as_view(), name="respond"),
    path("<int:pk>/close/", views.CloseView.as_view(), name="close"),
    path("<int:pk>/items/<int:item_pk>/", views.ItemView.as_view(), name="item"),
    path("<int:pk>/bundle.pdf", views.BundleView.as_view(), name="bundle"),
]

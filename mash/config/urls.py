from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path

from mash.common.auth import SignInForm
from mash.common.views import HomeView

# Under /api/ these answer JSON; elsewhere they are Django's pages (templates/404.html, ...).
handler400 = "mash.common.views.bad_request"
handler403 = "mash.common.views.permission_denied"
handler404 = "mash.common.views.page_not_found"
handler500 = "mash.common.views.server_error"


@login_not_required
def health(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("healthz", health, name="health"),
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("mash.accounts.urls")),
    path("inbox/", include("mash.notifications.urls")),
    path("api-tokens/", include("mash.tokens.urls")),
    path("people/", include("mash.people.urls")),
    path("governance/subject-access/", include("mash.subject_access.urls")),
    path("governance/", include("mash.sharing.urls")),
    path("governance/retention/", include("mash.retention.urls")),
    path("referrals/", include("referrals.urls")),
    path("disclosures/", include("disclosures.urls")),
    path("missing/", include("missing_persons.urls")),
    path("strategy/", include("strategy.urls")),
    path("measures/", include("mash.measures.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("mash.config.api_urls")),
]

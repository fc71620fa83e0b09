"""The project's URLs. Every pattern here is listed in the authorization matrix
(tests/academy/test_access_matrix.py); a new one fails that test until it is added."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from academy import health, page_routing, views

# Django admin signs in through allauth, so two-factor and rate limits apply there too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("profile/", views.profile, name="profile"),
    path("language/", views.language_set, name="language_set"),
    path("cohorts/<slug:slug>/", views.cohort_detail, name="cohort_detail"),
    path("cohorts/<slug:slug>/manage/", views.cohort_manage, name="cohort_manage"),
    path(
        "cohorts/<slug:slug>/invitations/<int:invitation_id>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "cohorts/<slug:slug>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "cohorts/<slug:slug>/members/<int:membership_id>/role/",
        views.membership_role,
        name="membership_role",
    ),
    path(
        "cohorts/<slug:slug>/members/<int:membership_id>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
    path("invitations/<str:token>/", views.invitation_open, name="invitation_open"),
    path("accounts/", include("allauth.urls")),
    path("cms/login/", views.cms_login, name="cms_login"),
    path("cms/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("", include("roundtables.urls")),
    path("", include("forums.urls")),
    path("", include("courses.urls")),
    path("documents/", include(wagtaildocs_urls)),
    # Wagtail's own front-end login would sign people in without two-factor: send it to allauth.
    path("_util/login/", views.frontend_login, name="frontend_login"),
    # Wagtail's page tree (courses) last: it answers every path the patterns above do not,
    # routed through the source-language tree (academy.page_routing).
    re_path(r"^((?:[\w\-]+/)*)$", page_routing.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
]

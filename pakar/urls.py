from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("bahasa/", set_language, name="set_language"),
    path("", include("pakar.public.urls")),
    path("", include("pakar.consultations.urls")),
    path("", include("pakar.guidance.urls")),
    path("", include("pakar.reports.urls")),
    path("staff/", include("pakar.accounts.urls")),
    path("staff/", include("pakar.backoffice.urls")),
    path("staff/identity/", include("pakar.identity.urls")),
]

handler400 = "pakar.common.views.bad_request"
handler404 = "pakar.common.views.not_found"
handler500 = "pakar.common.views.server_error"

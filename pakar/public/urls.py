from django.urls import path

from pakar.public import decisions, views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("lapor/", views.report, name="report"),
    path("pantau/masuk/", views.followup_login, name="followup_login"),
    path("pantau/", views.followup, name="followup"),
    path("pantau/keluar/", views.followup_logout, name="followup_logout"),
    path("pantau/nilai/", decisions.rate, name="followup_rate"),
    path("pantau/keberatan/", decisions.object_to_outcome, name="followup_object"),
]

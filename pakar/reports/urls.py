from django.urls import path

from pakar.reports import views

app_name = "reports"

urlpatterns = [
    path("statistik/", views.statistics_page, name="statistics"),
    path("statistik/unduh/statistik.json", views.statistics_json, name="statistics_json"),
    path("statistik/unduh/<slug:dataset>.csv", views.statistics_csv, name="statistics_csv"),
]

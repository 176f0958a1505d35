from django.urls import path

from pakar.identity import views

app_name = "identity"

urlpatterns = [
    path("", views.custodians, name="custodians"),
    path("enrol/", views.enrol, name="enrol"),
    path("custodians/<int:pk>/remove/", views.remove, name="remove"),
    path("requests/<int:pk>/", views.decide, name="decide"),
    path("case/<str:number>/", views.case_identity, name="case"),
]

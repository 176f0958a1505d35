from django.urls import path

from pakar.guidance import views

app_name = "guidance"

urlpatterns = [
    path("panduan/", views.index, name="index"),
]

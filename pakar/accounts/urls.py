from django.urls import path

from pakar.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.staff_login, name="login"),
    path("logout/", views.staff_logout, name="logout"),
    path("konfirmasi/", views.reauthenticate, name="reauth"),
    path("dua-langkah/", views.second_factor, name="two_factor"),
]

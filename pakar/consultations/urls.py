from django.urls import path

from pakar.consultations import staff_views, views

app_name = "consultations"

urlpatterns = [
    path("konsultasi/", views.ask, name="ask"),
    path("konsultasi/pantau/masuk/", views.followup_login, name="followup_login"),
    path("konsultasi/pantau/", views.followup, name="followup"),
    path("konsultasi/pantau/jadikan-laporan/", views.consent_to_report, name="consent_to_report"),
    path("konsultasi/pantau/keluar/", views.followup_logout, name="followup_logout"),
    path("faq/", views.faq, name="faq"),
    path("staff/konsultasi/", staff_views.queue, name="staff_queue"),
    path("staff/konsultasi/faq/", staff_views.faq_list, name="staff_faq"),
    path("staff/konsultasi/faq/baru/", staff_views.faq_new, name="staff_faq_new"),
    path("staff/konsultasi/faq/<int:pk>/", staff_views.faq_edit, name="staff_faq_edit"),
    path("staff/konsultasi/faq/<int:pk>/tarik/", staff_views.faq_unpublish, name="staff_faq_unpublish"),
    path("staff/konsultasi/topik/", staff_views.topics, name="staff_topics"),
    path("staff/konsultasi/topik/baru/", staff_views.topic_edit, name="staff_topic_new"),
    path("staff/konsultasi/topik/<int:pk>/", staff_views.topic_edit, name="staff_topic"),
    path("staff/konsultasi/<str:number>/", staff_views.detail, name="staff_detail"),
    path("staff/konsultasi/<str:number>/jawab/", staff_views.answer, name="staff_answer"),
    path("staff/konsultasi/<str:number>/usulkan-laporan/", staff_views.propose_report, name="staff_propose_report"),
    path("staff/konsultasi/<str:number>/tutup/", staff_views.close, name="staff_close"),
]

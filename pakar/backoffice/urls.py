from django.urls import path

from pakar.backoffice import audit_views
from pakar.backoffice.views import admin, case, home, inbox, intake

app_name = "backoffice"

urlpatterns = [
    path("", home.home, name="home"),
    path("kasus/", inbox.inbox, name="inbox"),
    path("kasus/<str:number>/", case.case_page, name="case"),
    path("kasus/<str:number>/deklarasi/", case.declare, name="declare"),
    path("kasus/<str:number>/langkah/<str:to>/", case.move, name="move"),
    path("kasus/<str:number>/catatan/", case.add_note, name="note"),
    path("kasus/<str:number>/pesan/", case.send_message, name="message"),
    path("kasus/<str:number>/penugasan/", case.assign, name="assign"),
    path("kasus/<str:number>/kesimpulan/", case.propose, name="propose"),
    path("kasus/<str:number>/kesimpulan/kembalikan/", case.return_proposal, name="return"),
    path("kasus/<str:number>/bukti/<int:pk>/", case.download_evidence, name="evidence"),
    path("laporan-baru/", intake.intake, name="intake"),
    path("admin/", admin.index, name="admin_index"),
    path("admin/pengguna/", admin.users, name="admin_users"),
    path("admin/pengguna/baru/", admin.user_edit, name="admin_user_new"),
    path("admin/pengguna/<int:pk>/", admin.user_edit, name="admin_user"),
    path("admin/unit/", admin.units, name="admin_units"),
    path("admin/unit/baru/", admin.unit_edit, name="admin_unit_new"),
    path("admin/unit/<int:pk>/", admin.unit_edit, name="admin_unit"),
    path("admin/tim/", admin.teams, name="admin_teams"),
    path("admin/tim/baru/", admin.team_edit, name="admin_team_new"),
    path("admin/tim/<int:pk>/", admin.team_edit, name="admin_team"),
    path("admin/kategori/", admin.categories, name="admin_categories"),
    path("admin/kategori/baru/", admin.category_edit, name="admin_category_new"),
    path("admin/kategori/<int:pk>/", admin.category_edit, name="admin_category"),
    path("admin/kalender/", admin.calendar, name="admin_calendar"),
    path("admin/kalender/<int:pk>/hapus/", admin.calendar_remove, name="admin_calendar_remove"),
    path("admin/tenggat/", admin.deadline_settings, name="admin_deadlines"),
    path("admin/pengguna/<int:pk>/dua-langkah/reset/", audit_views.reset_two_factor, name="admin_user_2fa_reset"),
    path("audit/", audit_views.audit_log, name="audit"),
    path("audit/ekspor/", audit_views.audit_export, name="audit_export"),
]

"""Units (OPD) of Kota Sukabumi and the inspectorate's teams, for demo data."""

DEMO_UNITS = [
    ("Sekretariat Daerah", "Setda"),
    ("Dinas Pendidikan dan Kebudayaan", "Disdikbud"),
    ("Dinas Kesehatan", "Dinkes"),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR"),
    ("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"),
    ("Dinas Perhubungan", "Dishub"),
    ("Dinas Sosial", "Dinsos"),
    ("Dinas Lingkungan Hidup", "DLH"),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP"),
    ("Badan Pengelolaan Keuangan dan Pendapatan Daerah", "BPKPD"),
    ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM"),
    ("Satuan Polisi Pamong Praja", "Satpol PP"),
    ("RSUD R. Syamsudin, S.H.", "RSUD"),
    ("Kecamatan Baros", "Kec. Baros"),
    ("Kecamatan Cibeureum", "Kec. Cibeureum"),
    ("Kecamatan Cikole", "Kec. Cikole"),
    ("Kecamatan Citamiang", "Kec. Citamiang"),
    ("Kecamatan Gunungpuyuh", "Kec. Gunungpuyuh"),
    ("Kecamatan Lembursitu", "Kec. Lembursitu"),
    ("Kecamatan Warudoyong", "Kec. Warudoyong"),
]

DEMO_TEAMS = ["Inspektur Pembantu I", "Inspektur Pembantu II", "Inspektur Pembantu III", "Inspektur Pembantu IV"]

"""The default consultation topics; installed by a data migration and editable
by an administrator afterwards."""

DEFAULT_TOPICS = [
    {
        "code": "service-standards",
        "name_id": "Standar pelayanan publik",
        "name_en": "Public service standards",
        "description_id": "Contoh: berapa lama seharusnya pengurusan izin, biaya resmi sebuah layanan.",
        "description_en": "For example: how long a permit should take, the official fee for a service.",
    },
    {
        "code": "gratification",
        "name_id": "Gratifikasi — bolehkah saya menerima ini?",
        "name_en": "Gratification — may I accept this?",
        "description_id": "Contoh: bingkisan hari raya dari rekanan, honor sebagai narasumber.",
        "description_en": "For example: a holiday hamper from a supplier, a speaker's fee.",
    },
    {
        "code": "procurement",
        "name_id": "Pengadaan barang dan jasa",
        "name_en": "Procurement of goods and services",
        "description_id": "Contoh: batas pengadaan langsung, konflik kepentingan dengan penyedia.",
        "description_en": "For example: limits for direct procurement, a conflict of interest with a supplier.",
    },
    {
        "code": "asn-discipline",
        "name_id": "Disiplin ASN",
        "name_en": "Civil-servant (ASN) discipline",
        "description_id": "Contoh: aturan jam kerja, kegiatan politik, pekerjaan sampingan.",
        "description_en": "For example: working-hours rules, political activity, a second job.",
    },
    {
        "code": "financial-management",
        "name_id": "Pengelolaan keuangan",
        "name_en": "Financial management",
        "description_id": "Contoh: pertanggungjawaban perjalanan dinas, pengelolaan kas.",
        "description_en": "For example: accounting for official travel, handling of cash.",
    },
    {
        "code": "other",
        "name_id": "Lainnya",
        "name_en": "Other",
        "description_id": "Pertanyaan lain tentang pengawasan dan integritas aparatur.",
        "description_en": "Other questions about oversight and the integrity of officials.",
    },
]

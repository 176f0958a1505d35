"""What a reporter sends is unreadable at rest: a copy of the database file
(or every row of PostgreSQL) and of the storage folder holds none of it."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pikepdf
import pytest
from django.conf import settings
from django.test import Client

from pakar import vault
from pakar.accounts.models import User
from pakar.cases import services
from pakar.cases.models import Case
from pakar.identity import sealed
from tests.public.conftest import post_report, upload
from tests.public.dbdump import assert_absent, database_bytes

pytestmark = pytest.mark.django_db(transaction=True)

PDF_MARKER = "PENANDA-PDF-Wk6Jd-TIDAK-TERKOMPRESI"
SECRETS = {
    "title": "JudulRahasia Vw3Rb",
    "narrative": "NarasiRahasia Zq7Kx: uang pelicin di loket",
    "where": "TempatRahasia Pj2Ls",
    "how": "CaraRahasia Df6Ya",
    "witnesses": "SaksiRahasia Ue1Oc",
    "party name": "PejabatTerlapor Hm5Tq",
    "party NIP": "198001012006041099",
    "party position": "JabatanRahasia Rr8Mn",
    "identity name": "PelaporRahasia Lk8Pz",
    "identity NIK": "3272019988776655",
    "identity phone": "+62 899-1122-3344",
    "identity address": "AlamatRahasia Ji4Wt",
    "identity e-mail": "pelapor.rahasia-gx2@example.org",
    "notice e-mail": "kabar-nb4@example.org",
    "file name": "BerkasRahasia-Qp9.pdf",
    "PDF content": PDF_MARKER,
    "reply": "BalasanPelapor Ty4Rm",
    "reply file name": "LampiranBalasan-Ew5.pdf",
    "staff message": "PesanPetugas Cx8Vn",
}


def marked_pdf() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].obj.Contents = pdf.make_stream(f"BT /F1 12 Tf 72 720 Td ({PDF_MARKER}) Tj ET".encode())
    pdf.docinfo["/Title"] = PDF_MARKER
    out = io.BytesIO()
    pdf.save(out, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    data = out.getvalue()
    assert PDF_MARKER.encode() in data  # the marker really is there in the clear
    return data


def stored_files() -> bytes:
    blobs = []
    for root in {Path(settings.PAKAR_STORAGE_DIR), Path(settings.PAKAR_DATA_DIR)}:
        for dirpath, _, names in os.walk(root):
            for name in names:
                path = Path(dirpath) / name
                blobs.append(name.encode() + b"\0" + path.read_bytes())
    return b"\n".join(blobs)


@pytest.fixture
def submitted(client, report_data, category, unit):
    """A confidential report with identity, files, a reply and a staff message, all sent for real."""
    pdf = marked_pdf()
    form = report_data(
        title=SECRETS["title"],
        what=SECRETS["narrative"],
        where=SECRETS["where"],
        how=SECRETS["how"],
        witnesses=SECRETS["witnesses"],
        party_name=SECRETS["party name"],
        party_nip=SECRETS["party NIP"],
        party_position=SECRETS["party position"],
        name=SECRETS["identity name"],
        nik=SECRETS["identity NIK"],
        phone=SECRETS["identity phone"],
        address=SECRETS["identity address"],
        identity_email=SECRETS["identity e-mail"],
        notice_email=SECRETS["notice e-mail"],
    )
    response = post_report(client, form, [upload(SECRETS["file name"], pdf)])
    assert response.status_code == 200, response.content.decode()[:2000]
    code = re.search(r"\b(\d{4} \d{4} \d{4} \d{4})\b", response.content.decode()).group(1)

    follow = Client()
    assert follow.post("/pantau/masuk/", {"code": code}).status_code == 302
    reply = follow.post("/pantau/", {"text": SECRETS["reply"], "evidence": [upload(SECRETS["reply file name"], pdf)]})
    assert reply.status_code == 302

    case = Case.objects.get()
    staff = User.objects.create_user(username="petugas", password="kata sandi yang panjang 1")
    services.send_message_to_reporter(case, text=SECRETS["staff message"], actor=staff)
    return case, code


def test_nothing_the_reporter_sent_is_readable_in_the_database(submitted):
    case, code = submitted
    dump = database_bytes()
    assert case.number.encode() in dump, "the dump must contain the case: otherwise it proves nothing"
    assert_absent({**SECRETS, "access code": code.replace(" ", ""), "formatted code": code}, dump, "the database")


def test_nothing_the_reporter_sent_is_readable_in_the_stored_files(submitted):
    case, code = submitted
    blob = stored_files()
    assert case.evidence.count() == 2
    assert len(blob) > 2 * len(marked_pdf()), "the evidence files must be among what was read"
    assert_absent({**SECRETS, "access code": code.replace(" ", "")}, blob, "the storage folder")


def test_what_was_sent_still_reads_back_with_the_keys(submitted):
    case, code = submitted
    content = case.read_content()
    assert content["what"] == SECRETS["narrative"]
    assert content["party"]["name"] == SECRETS["party name"]
    # The identity is sealed: the server's keys do not open it, the reporter's code does.
    reporter_key = vault.derive_code_keys(code.replace(" ", "")).private_key
    assert sealed.open_identity(case, reporter_key)["nik"] == SECRETS["identity NIK"]
    names = sorted(e.read_meta()["name"] for e in case.evidence.all())
    assert names == sorted([SECRETS["file name"], SECRETS["reply file name"]])
    assert {m.read_body() for m in case.messages.all()} == {SECRETS["reply"], SECRETS["staff message"]}

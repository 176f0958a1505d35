"""Demo cases for trying PAKAR: a few dozen reports spread over every status,
created and moved through the real services (``manage.py seed_demo``; never in
production). Receipts are back-dated so the inbox shows cases on time, due
soon and overdue."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from pakar.accounts.models import Role, User
from pakar.cases import deadlines, handling, services
from pakar.cases.models import Case, Category, Channel, Status, StatusChange
from pakar.cases.workflow import transition_case
from pakar.org.models import Team, Unit

STORIES = [
    (
        "Biaya tambahan pembuatan KTP",
        "Petugas loket meminta Rp 50.000 agar KTP elektronik selesai hari itu juga.",
        "Kantor Disdukcapil, loket 3",
        "Petugas loket 3",
        "Staf pelayanan",
    ),
    (
        "Pungutan izin usaha",
        "Pengurusan izin usaha mikro dimintai uang 'pelicin' Rp 300.000 oleh oknum.",
        "Mal Pelayanan Publik",
        "Oknum petugas perizinan",
        "Pelaksana",
    ),
    (
        "Proyek jalan tidak sesuai spesifikasi",
        "Aspal jalan lingkungan sudah rusak dua bulan setelah selesai dikerjakan.",
        "Jl. Merdeka RT 02/05",
        "Pejabat pembuat komitmen",
        "PPK",
    ),
    (
        "Guru sering tidak hadir",
        "Seorang guru SD negeri tidak hadir mengajar lebih dari sepuluh hari bulan ini.",
        "SD Negeri Cikole 2",
        "Guru kelas 4",
        "Guru ASN",
    ),
    (
        "Pelayanan puskesmas ditunda",
        "Pasien lansia disuruh pulang karena petugas istirahat lebih awal.",
        "Puskesmas Baros",
        "Petugas pendaftaran",
        "Staf",
    ),
    (
        "Hadiah dari rekanan",
        "Pejabat pengadaan menerima parsel dan voucher dari rekanan pemenang tender.",
        "Kantor Dinas PUPR",
        "Pejabat pengadaan",
        "Kepala seksi",
    ),
    (
        "Penyalahgunaan kendaraan dinas",
        "Mobil dinas dipakai untuk keperluan keluarga di akhir pekan.",
        "Kecamatan Warudoyong",
        "Sekretaris kecamatan",
        "Sekcam",
    ),
    (
        "Bantuan sosial tidak tepat sasaran",
        "Nama penerima bansos diganti dengan kerabat petugas kelurahan.",
        "Kelurahan Cibeureum Hilir",
        "Petugas pendataan",
        "Staf kelurahan",
    ),
]

Step = Callable[[Case, "Cast", dt.datetime], None]


@dataclass
class Cast:
    intake: User
    verifier: User
    investigator: User
    inspector: User
    teams: list[Team]


def _move(to: str, who: str, **data: Any) -> Step:
    def step(case: Case, cast: Cast, now: dt.datetime) -> None:
        transition_case(case, to, actor=getattr(cast, who), data=data, now=now)

    return step


def _assign(case: Case, cast: Cast, now: dt.datetime) -> None:
    team = cast.teams[case.pk % len(cast.teams)]
    officer = cast.investigator if team == cast.investigator.team else None
    handling.assign_case(case, team=team, officer=officer, actor=cast.inspector)
    if officer is not None:
        handling.declare_conflict(case, actor=cast.investigator, has_conflict=False)


def _conclude(case: Case, cast: Cast, now: dt.datetime) -> None:
    handling.propose_conclusion(
        case,
        actor=cast.inspector,
        findings="Keterangan saksi dan dokumen menunjukkan pelanggaran terjadi.",
        outcome="proven",
        sanction="light",
        summary="Laporan Anda terbukti. Pejabat yang bersangkutan direkomendasikan mendapat teguran tertulis.",
    )
    transition_case(case, Status.CONCLUDED, actor=cast.inspector, now=now)


def _rate(case: Case, cast: Cast, now: dt.datetime) -> None:
    handling.rate_outcome(case, rating=4, comment="Terima kasih.")


def _object(case: Case, cast: Cast, now: dt.datetime) -> None:
    handling.object_to_outcome(case, text="Pelanggaran masih terjadi.")


VERIFY = [_move(Status.VERIFICATION, "verifier")]
ASSESS = [*VERIFY, _move(Status.ASSESSMENT, "verifier")]
INVESTIGATE = [*ASSESS, _move(Status.INVESTIGATION, "inspector", deadline_class="oversight"), _assign]
CONCLUDE = [*INVESTIGATE, _conclude]
PATHS: dict[str, tuple[int, list[Step]]] = {
    Status.RECEIVED: (3, []),
    Status.VERIFICATION: (3, VERIFY),
    Status.NEEDS_INFO: (
        2,
        [*VERIFY, _move(Status.NEEDS_INFO, "verifier", question="Mohon sebutkan tanggal kejadian.")],
    ),
    Status.REFERRED: (
        2,
        [*VERIFY, _move(Status.REFERRED, "verifier", referral_target="kpk", letter_number="700/45/Itko")],
    ),
    Status.REJECTED: (
        2,
        [
            *VERIFY,
            _move(
                Status.REJECTED, "verifier", reason="too_general", explanation="Tidak ada waktu dan tempat kejadian."
            ),
        ],
    ),
    Status.ASSESSMENT: (3, ASSESS),
    Status.CLARIFICATION: (2, [*ASSESS, _move(Status.CLARIFICATION, "inspector", deadline_class="complaint"), _assign]),
    Status.INVESTIGATION: (3, INVESTIGATE),
    Status.CONCLUDED: (2, CONCLUDE),
    Status.FOLLOW_UP: (2, [*CONCLUDE, _move(Status.FOLLOW_UP, "inspector")]),
    Status.CLOSED: (3, [*CONCLUDE, _rate]),
    Status.REOPENED: (1, [*CONCLUDE, _object]),
}


def cast_of_demo_users(teams: list[Team]) -> Cast:
    def first(role: str) -> User:
        return User.objects.filter(role_grants__role=role).order_by("pk").first() or _missing(role)

    return Cast(
        intake=first(Role.INTAKE),
        verifier=first(Role.VERIFIER),
        investigator=first(Role.INVESTIGATOR),
        inspector=first(Role.INSPECTOR),
        teams=teams,
    )


def _missing(role: str) -> User:
    raise RuntimeError(f"demo data needs a user with the role {role}")


def seed_demo_cases(cast: Cast) -> list[Case]:
    """About thirty cases over every status (two of them merged into open ones)."""
    categories = list(Category.objects.filter(is_active=True))
    units = list(Unit.objects.filter(is_active=True))
    made: list[Case] = []
    counter = itertools.count()
    for status, (count, path) in PATHS.items():
        for _ in range(count):
            index = next(counter)
            case = _file(index, categories, units, cast)
            _live(case, path, cast, age_days=_age(status, index))
            made.append(case)
    open_cases = [c for c in made if c.status in (Status.ASSESSMENT, Status.INVESTIGATION)]
    for target in open_cases[:2]:
        duplicate = _file(next(counter), categories, units, cast)
        _live(duplicate, [*VERIFY, _move(Status.MERGED, "verifier", merge_into=target.number)], cast, age_days=2)
        made.append(duplicate)
    return made


def _age(status: str, index: int) -> int:
    """Days since receipt: spread out so badges vary, but short enough that the
    worker's sweep does not at once lapse or close the cases waiting for the reporter."""
    if status in (Status.NEEDS_INFO, Status.CONCLUDED, Status.FOLLOW_UP, Status.REOPENED):
        return len(PATHS[status][1]) + 1
    return 3 + (index * 5) % 40


def _file(index: int, categories: list[Category], units: list[Unit], cast: Cast) -> Case:
    title, what, where, party, position = STORIES[index % len(STORIES)]
    walk_in = index % 4 == 3
    report = services.ReportInput(
        reporter_type="public" if index % 3 else "asn",
        identity_mode=["confidential", "anonymous", "open"][index % 3],
        identity={"name": f"Pelapor Demo {index + 1}", "phone": "081200000000"},
        category=categories[index % len(categories)],
        unit=units[index % len(units)],
        content={"title": title, "what": what, "where": where, "when": "Bulan lalu", "how": "Disaksikan langsung."},
        party={"name": party, "position": position},
        channel=Channel.WALK_IN if walk_in else Channel.ONLINE,
    )
    if not report.category.anonymous_allowed and report.identity_mode == "anonymous":
        report.identity_mode = "confidential"
    return services.submit_report(report, actor=cast.intake if walk_in else None).case


def _live(case: Case, path: list[Step], cast: Cast, *, age_days: int) -> None:
    """Back-date the receipt, then take each step a day or two apart."""
    received = timezone.now() - dt.timedelta(days=age_days)
    backdate_receipt(case, received_at=received)
    for person in (cast.verifier, cast.inspector):
        handling.declare_conflict(case, actor=person, has_conflict=False)
    now = received
    for step in path:
        now = min(now + dt.timedelta(days=1, hours=3), timezone.now())
        step(case, cast, now)
        case.refresh_from_db()


def backdate_receipt(case: Case, *, received_at: dt.datetime) -> None:
    """Demo data only: a case that arrived earlier, with its first clock from then."""
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(received_at=received_at)
        StatusChange.objects.filter(case=case, from_status="").update(at=received_at)
        case.deadlines.all().delete()
        case.received_at = received_at
        deadlines.start_first_clock(case, now=received_at)

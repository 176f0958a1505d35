"""Adding and removing custodians re-seals every identity and original, resumably."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from pakar import vault
from pakar.accounts.models import Role
from pakar.cases import services as case_services
from pakar.cases.models import Case
from pakar.identity import sealed, services
from pakar.identity.models import Custodian, SealedOriginal
from tests.cases.support import report_input, stage
from tests.identity.conftest import PASSPHRASE, SECOND_PASSPHRASE, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def receipts(category, unit, custodian, evidence_file):
    photo = evidence_file("jpg_Canon_40D.jpg").read_bytes()
    return [
        case_services.submit_report(report_input(category, unit, files=[stage("foto.jpg", photo)])) for _ in range(3)
    ]


@pytest.fixture
def second(db):
    user = staff_user("penjaga2", Role.CUSTODIAN)
    custodian, _recovery = services.enrol_custodian(user, SECOND_PASSPHRASE, actor=None)
    return custodian


def opens_everything(private_key) -> bool:
    try:
        for case in Case.objects.all():
            sealed.open_identity(case, private_key)
        for original in SealedOriginal.objects.all():
            sealed.open_original(original, private_key)
    except vault.DecryptionError:
        return False
    return True


def test_a_new_custodian_opens_old_identities_once_an_existing_custodian_reseals(receipts, custodian, second):
    new_key = services.unlock(second, SECOND_PASSPHRASE)
    assert not opens_everything(new_key)
    assert services.pending_reseal_count() == 6  # three identities, three originals

    progress = services.reseal_all(services.unlock(custodian, PASSPHRASE))

    assert (progress.identities, progress.originals, progress.done) == (3, 3, True)
    assert opens_everything(new_key) and opens_everything(services.unlock(custodian, PASSPHRASE))
    assert services.pending_reseal_count() == 0
    # The reporter still opens their own identity with the access code.
    reporter_key = vault.derive_code_keys(receipts[0].access_code).private_key
    assert sealed.open_identity(Case.objects.get(pk=receipts[0].case.pk), reporter_key)["name"] == "Siti Aminah"


def test_an_interrupted_reseal_is_finished_by_running_it_again(receipts, custodian, second):
    key = services.unlock(custodian, PASSPHRASE)
    first = services.reseal_all(key, stop_after=2)
    assert first.identities == 2 and services.pending_reseal_count() == 4
    # Everything is readable by the first custodian at every moment.
    assert opens_everything(key)

    rest = services.reseal_all(key)
    assert rest.identities + rest.originals == 4
    assert services.pending_reseal_count() == 0
    assert opens_everything(services.unlock(second, SECOND_PASSPHRASE))


def test_a_custodian_who_cannot_open_an_item_leaves_it_for_another(receipts, custodian, second):
    progress = services.reseal_all(services.unlock(second, SECOND_PASSPHRASE))
    assert progress.unreadable == 6 and not progress.done
    assert services.pending_reseal_count() == 6


def test_a_removed_custodian_can_no_longer_open_anything(receipts, custodian, second):
    services.reseal_all(services.unlock(custodian, PASSPHRASE))
    old_key = services.unlock(second, SECOND_PASSPHRASE)

    services.remove_custodian(second, actor=custodian.user, private_key=services.unlock(custodian, PASSPHRASE))

    assert not Custodian.objects.filter(pk=second.pk).exists()
    for case in Case.objects.all():
        with pytest.raises(vault.DecryptionError):
            sealed.open_identity(case, old_key)
    assert opens_everything(services.unlock(custodian, PASSPHRASE))


def test_the_last_custodian_cannot_be_removed(receipts, custodian):
    with translation.override("en"), pytest.raises(services.CustodyError, match="last identity custodian"):
        services.remove_custodian(custodian, actor=custodian.user, private_key=services.unlock(custodian, PASSPHRASE))
    assert Custodian.objects.count() == 1


def test_a_wrong_passphrase_is_refused_and_the_recovery_key_still_opens(custodian, receipts):
    with translation.override("en"), pytest.raises(services.CustodyError, match="not correct"):
        services.unlock(custodian, "salah sama sekali")
    by_recovery = vault.sealing.unlock_with_recovery(custodian.keys(), custodian.recovery)
    assert opens_everything(by_recovery)


def test_only_staff_with_the_custodian_role_can_enrol(db):
    with pytest.raises(services.CustodyError):
        services.enrol_custodian(staff_user("penyidik", Role.INVESTIGATOR), PASSPHRASE, actor=None)


def test_first_set_up_creates_the_first_custodian_and_prints_the_recovery_key_once(db, monkeypatch):
    staff_user("admin", Role.ADMINISTRATOR)
    monkeypatch.setenv("PAKAR_TEST_PASSPHRASE", PASSPHRASE)
    out = io.StringIO()

    call_command("create_custodian", "admin", "--grant-role", "--passphrase-env", "PAKAR_TEST_PASSPHRASE", stdout=out)

    custodian = Custodian.objects.get(user__username="admin")
    recovery = out.getvalue().strip().splitlines()[-1]
    assert (
        vault.sealing.unlock_with_recovery(custodian.keys(), recovery).public_key
        == services.unlock(custodian, PASSPHRASE).public_key
    )
    with pytest.raises(CommandError, match="custodians exist already"):
        call_command("create_custodian", "admin", "--passphrase-env", "PAKAR_TEST_PASSPHRASE", stdout=out)


def test_the_reseal_command_finishes_what_an_interrupted_run_left(receipts, custodian, second, monkeypatch):
    services.reseal_all(services.unlock(custodian, PASSPHRASE), stop_after=3)
    monkeypatch.setenv("PAKAR_TEST_PASSPHRASE", PASSPHRASE)
    out = io.StringIO()

    call_command("reseal_identities", custodian.user.username, "--passphrase-env", "PAKAR_TEST_PASSPHRASE", stdout=out)

    assert "0 still pending" in out.getvalue()
    assert opens_everything(services.unlock(second, SECOND_PASSPHRASE))

"""A VAULT_KEY that is not the vault's own stops the service before it reads or writes the vault; one that is
malformed stops it at start-up."""

import base64
import os
import subprocess
import sys
from datetime import date

import pytest

from identity import crypto
from identity.crypto import WrongVaultKey
from identity.models import VaultKeyCheck, VictimRecord
from identity.services import match_person, register_victims
from tests.factories.identity import person

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


@pytest.fixture(autouse=True)
def _keys_not_yet_derived(monkeypatch):
    """As in a process that has not used the vault yet: another test may have derived the keys already."""
    monkeypatch.setattr(crypto, "_cached", None)


OTHER_KEY = base64.urlsafe_b64encode(b"another vault's key, 32 bytes..!").decode()


def test_another_key_registers_and_matches_no_one(settings):
    register_victims(body="E23000036", records=[person("P1")], by=None)
    assert VaultKeyCheck.objects.using("vault").count() == 1
    settings.VAULT_KEY = OTHER_KEY
    with pytest.raises(WrongVaultKey, match="VAULT_KEY is not the key this identity vault was written with"):
        register_victims(body="E23000036", records=[person("P2")], by=None)
    with pytest.raises(WrongVaultKey):
        match_person(
            {"given_name": "Amelia", "family_name": "Thornbury", "date_of_birth": date(1990, 1, 2)},
            by=None,
            purpose="checking a victim of a burglary",
        )
    assert list(VictimRecord.objects.using("vault").values_list("person_ref", flat=True)) == ["P1"]


def test_a_vault_written_before_the_check_is_tried_on_one_of_its_records(settings):
    register_victims(body="E23000036", records=[person("P1")], by=None)
    VaultKeyCheck.objects.using("vault").all().delete()
    settings.VAULT_KEY = OTHER_KEY
    with pytest.raises(WrongVaultKey):
        register_victims(body="E23000036", records=[person("P2")], by=None)
    assert not VaultKeyCheck.objects.using("vault").exists()


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("VAULT_KEY", "change-me", "VAULT_KEY is not urlsafe base64"),
        ("VAULT_KEY", "", "VAULT_KEY must encode at least 32 random bytes"),
        ("VAULT_KEY", "!!!***", "VAULT_KEY is not urlsafe base64"),
        ("SECRET_KEY", "", "SECRET_KEY must be a random value of at least 32 characters"),
        ("SECRET_KEY", "change-me", "SECRET_KEY must be a random value of at least 32 characters"),
    ],
)
def test_a_malformed_key_stops_the_service_at_start_up(name, value, says):
    environment = {**os.environ, "SECRET_KEY": "x" * 50, "VAULT_KEY": "y" * 44, name: value}
    done = subprocess.run(
        [sys.executable, "-c", "import config.settings"], env=environment, capture_output=True, text=True
    )
    assert done.returncode != 0 and says in done.stderr

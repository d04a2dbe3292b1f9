import pytest
from django.core.management import CommandError, call_command

import analytics.standard
from accounts.models import AuditEvent
from standard.actions import load_standard_version
from standard.models import Body, Code, CodeVersion, Column, LocalPolicingBody, Metric, Right
from tests.factories.standard import copy_of_version

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "versions": CodeVersion.objects.count(),
        "rights": Right.objects.count(),
        "metrics": Metric.objects.count(),
        "columns": Column.objects.count(),
        "codes": Code.objects.count(),
        "bodies": Body.objects.count(),
        "covered": Body.forces.through.objects.count(),
        "lpbs": LocalPolicingBody.objects.count(),
    }


def test_load_standard_is_idempotent(capsys):
    call_command("load_standard", "--version", "1")
    first = counts()
    audit_events = AuditEvent.objects.filter(action="standard.loaded").count()
    call_command("load_standard", "--version", "1")
    assert counts() == first
    assert AuditEvent.objects.filter(action="standard.loaded").count() == audit_events == 1
    assert "Code version 1: unchanged (12 rights, 17 metrics, 4 tables" in capsys.readouterr().out
    assert first["rights"] == 12
    assert first["metrics"] == 17
    assert first["lpbs"] == 43


def test_every_row_is_stamped_with_its_code_version():
    load_standard_version(version="1")
    version = CodeVersion.objects.get(version="1")
    assert version.name.startswith("Code of Practice for Victims of Crime")
    for model in (Right, Metric, Column, Code, Body, LocalPolicingBody):
        assert not model.objects.exclude(code_version=version).exists()


def test_bodies_keep_the_forces_they_cover():
    load_standard_version(version="1")
    london_south = Body.objects.get(code="CPS-LS")
    assert set(london_south.forces.values_list("code", flat=True)) == {"E23000001", "E23000034"}
    assert london_south.mapping_verified is False
    mayor = LocalPolicingBody.objects.get(body__code="LPB-E23000005")
    assert mayor.role_holder_type == "mayor"
    btp = Body.objects.get(code="BTP")
    assert (btp.body_type, btp.national_oversight) == (
        "non_territorial_force",
        "British Transport Police Authority",
    )
    assert Body.objects.get(code="HMCTS").forces.count() == 45
    assert Body.objects.filter(body_type="youth_justice_service").count() >= 150


def test_a_changed_file_updates_only_what_changed(tmp_path, monkeypatch):
    load_standard_version(version="1")
    folder = copy_of_version(tmp_path)
    rights = folder / "rights.csv"
    rights.write_text(
        rights.read_text().replace("The police record the crime within 24 hours", "Recorded in 24 hours")
    )
    monkeypatch.setattr(analytics.standard, "DATA_ROOT", tmp_path)
    analytics.standard._load_standard.cache_clear()
    try:
        result = load_standard_version(version="1", fresh=True)
    finally:
        analytics.standard._load_standard.cache_clear()
    assert result.updated["right"] == 1
    assert sum(result.created.values()) == 0
    assert Right.objects.get(number=2).summary.startswith("Recorded in 24 hours")
    assert CodeVersion.objects.count() == 1


def test_a_broken_file_changes_nothing(tmp_path, monkeypatch):
    load_standard_version(version="1")
    before = counts()
    folder = copy_of_version(tmp_path)
    codes = folder / "codes.csv"
    codes.write_text(codes.read_text().replace("sex,F,Female,", "sex,M,Female,"))
    monkeypatch.setattr(analytics.standard, "DATA_ROOT", tmp_path)
    analytics.standard._load_standard.cache_clear()
    try:
        with pytest.raises(CommandError, match=r"codes.csv, row \d+, column code: 'M' appears twice"):
            call_command("load_standard", "--version", "1")
    finally:
        analytics.standard._load_standard.cache_clear()
    assert counts() == before


def test_an_unknown_version_is_refused():
    with pytest.raises(CommandError, match="No standard version '9'"):
        call_command("load_standard", "--version", "9")


def test_a_code_removed_from_the_file_is_removed_from_the_database(tmp_path, monkeypatch):
    load_standard_version(version="1")
    folder = copy_of_version(tmp_path)
    codes = folder / "codes.csv"
    codes.write_text(codes.read_text().replace("withdrawal_stage,post_charge,After charge,\n", ""))
    monkeypatch.setattr(analytics.standard, "DATA_ROOT", tmp_path)
    analytics.standard._load_standard.cache_clear()
    try:
        result = load_standard_version(version="1", fresh=True)
    finally:
        analytics.standard._load_standard.cache_clear()
    assert result.deleted["code"] == 1
    assert sum(result.created.values()) == 0
    assert list(Code.objects.filter(codelist="withdrawal_stage").values_list("code", flat=True)) == [
        "pre_charge"
    ]

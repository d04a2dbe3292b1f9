import pytest
from django.core.management import call_command
from django.test import Client

import analytics.standard
from standard.models import CodeVersion, Metric, Right
from tests.factories.standard import copy_of_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_versions(tmp_path, monkeypatch):
    """Version 1 as published, and a version 2 in which Right 4's referral deadline becomes 3 working days."""
    copy_of_version(tmp_path)
    version_two = copy_of_version(tmp_path / "next")
    version_two = version_two.rename(tmp_path / "v2")
    (version_two / "version.csv").write_text(
        "code_version,name,in_force_from,description\n2,The revised Victims' Code,2027-04-01,\n"
    )
    metrics = version_two / "metrics.csv"
    metrics.write_text(
        metrics.read_text()
        .replace(
            "R4.referral_2wd,4,obligation,Referral to support (or a recorded decline) within 2 working days",
            "R4.referral_3wd,4,obligation,Referral to support (or a recorded decline) within 3 working days",
        )
        .replace(
            "support_referral_made|support_referral_declined,working_days,2,",
            "support_referral_made|support_referral_declined,working_days,3,",
        )
    )
    monkeypatch.setattr(analytics.standard, "DATA_ROOT", tmp_path)
    analytics.standard._load_standard.cache_clear()
    yield
    analytics.standard._load_standard.cache_clear()


def test_two_versions_load_side_by_side(two_versions, capsys):
    call_command("load_standard")
    output = capsys.readouterr().out
    assert "Code version 1:" in output
    assert "Code version 2:" in output
    assert list(CodeVersion.objects.order_by("version").values_list("version", flat=True)) == ["1", "2"]
    assert Right.objects.count() == 24
    assert Metric.objects.get(code_version__version="2", code="R4.referral_3wd").deadline == 3
    assert Metric.objects.filter(code_version__version="1", code="R4.referral_2wd").exists()
    assert not Metric.objects.filter(code_version__version="2", code="R4.referral_2wd").exists()


def test_pages_show_the_newest_version_unless_asked(two_versions):
    call_command("load_standard")
    client = Client()
    newest = client.get("/standard/").content.decode()
    assert "R4.referral_3wd" in newest
    assert 'href="?version=1"' in newest
    assert "R4.referral_2wd" in client.get("/standard/?version=1").content.decode()
    assert client.get("/standard/metrics/R4.referral_2wd/?version=1").status_code == 200
    assert client.get("/standard/metrics/R4.referral_2wd/").status_code == 404

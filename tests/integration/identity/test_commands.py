import csv
import os
import stat
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import AuditEvent
from analytics.linkage import Thresholds
from identity import actions, registry
from identity.linkage import run_linkage
from identity.models import ReviewItem, VictimRecord
from identity.services import register_victims
from tests.factories.identity import person, staff

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def run(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command(*args, stdout=out)
    except SystemExit as stop:
        return int(stop.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_jjn_check_exits_0_when_all_valid_and_1_with_one_reason_line_per_invalid_value():
    code, output = run("jjn", "check", "JJ-7KDA-94FX-HMQF", "jj7kda94fxhmqf")
    assert code == 0 and output.count("valid (JJ-7KDA-94FX-HMQF)") == 2
    code, output = run("jjn", "check", "JJ-7KDA-94FX-HMQF", "JJ-7KDA-94FX-HMQ4", "1234567890")
    assert code == 1
    assert "JJ-7KDA-94FX-HMQ4: invalid — the check character is wrong — a character may be mistyped" in output
    assert "1234567890: invalid — this looks like an NHS number" in output


def test_jjn_export_writes_every_record_and_is_audited(tmp_path):
    numbers = register_victims(
        body="E23000036", records=[person("P1"), person("P2", given_name="Bo")], by=None
    )
    out = tmp_path / "jjns.csv"
    code, output = run("jjn", "export", "--out", str(out))
    assert code == 0 and "2 records written" in output
    with out.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert rows == [
        {"body": "E23000036", "person_ref": "P1", "jjn": numbers["P1"]},
        {"body": "E23000036", "person_ref": "P2", "jjn": numbers["P2"]},
    ]
    assert AuditEvent.objects.filter(action="identity.jjn_export", detail__rows=2).exists()
    assert out.stat().st_mode & 0o777 == 0o600


def test_jjn_export_replaces_only_a_plain_file(tmp_path):
    register_victims(body="E23000036", records=[person("P1")], by=None)
    target = tmp_path / "elsewhere.txt"
    target.write_text("kept")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    for out in (link, pipe):
        with pytest.raises(CommandError, match="is not a plain file"):
            run("jjn", "export", "--out", str(out))
    assert link.is_symlink() and target.read_text() == "kept" and stat.S_ISFIFO(pipe.stat().st_mode)
    assert not AuditEvent.objects.filter(action="identity.jjn_export").exists()


def test_jjn_export_writes_through_no_file_left_or_planted_beside_it(tmp_path):
    register_victims(body="E23000036", records=[person("P1")], by=None)
    readable = tmp_path / "readable.txt"
    readable.write_text("kept")
    readable.chmod(0o644)
    out = tmp_path / "jjns.csv"
    (tmp_path / "jjns.csv.partial").symlink_to(readable)  # where an earlier version wrote first
    code, _output = run("jjn", "export", "--out", str(out))
    assert code == 0 and readable.read_text() == "kept"
    assert not out.is_symlink() and out.stat().st_mode & 0o777 == 0o600
    beside = sorted(path.name for path in tmp_path.iterdir() if "jjns" in path.name)
    assert beside == ["jjns.csv", "jjns.csv.partial"]  # nothing of its own left behind
    with pytest.raises(CommandError, match=r"cannot write .*File name too long"):
        run("jjn", "export", "--out", str(tmp_path / ("x" * 300)))


def people():
    register_victims(
        body="E23000036",
        records=[
            person("P1"),
            person("P2", given_name="Rowan", family_name="Achterberg", date_of_birth=date(1990, 2, 3),
                   postcode="M1 1AE", email="rowan@example.org", phone="07700 900555"),
            person("P3", given_name="Ifeoma", family_name="Nwachukwu", date_of_birth=date(1975, 11, 30),
                   postcode="LS6 2AB", email=None, phone=None),
        ],
        by=None,
    )  # fmt: skip
    return register_victims(
        body="CPS-SW",
        records=[
            person("C1", family_name="Thornbery"),
            person("C2", given_name="Rowen", family_name="Achterberg", date_of_birth=date(1990, 2, 3),
                   postcode="LS6 2AB", email=None, phone=None),
        ],
        by=None,
    )  # fmt: skip


@pytest.mark.slow
def test_link_merges_the_same_person_and_prints_a_summary():
    cps = people()
    code, output = run("link", "--verbosity", "0")
    assert code == 0
    assert "5 records linked: " in output and ", 1 merge, " in output and "0 possible splits sent" in output
    p1 = VictimRecord.objects.using("vault").get(body="E23000036", person_ref="P1").jjn.display
    assert registry.resolve(cps["C1"]) == p1
    assert AuditEvent.objects.filter(action="identity.link").exists()


@pytest.mark.slow
def test_a_rejected_pair_is_never_merged_again():
    people()
    # Wide bands so that Rowan and Rowen Achterberg (same date of birth, different places) need review.
    summary = run_linkage(by=None, thresholds=Thresholds(upper=0.999999999, lower=0.01))
    assert summary.review_items >= 1
    rowan = {
        record.person_ref: record.id
        for record in VictimRecord.objects.using("vault").filter(person_ref__in=["P2", "C2"])
    }
    item = ReviewItem.objects.using("vault").get(
        kind="pair", left_id=min(rowan.values()), right_id=max(rowan.values())
    )
    reviewer = staff("national", role="national_analyst", organisation_code="NAT")
    actions.decide_pair(item=item, same_person=False, by=reviewer, note="different people", purpose="review")

    # Even with a band that would link them automatically, the decision stands.
    run_linkage(by=None, thresholds=Thresholds(upper=0.02, lower=0.01))
    p2, c2 = (VictimRecord.objects.using("vault").get(id=rowan[ref]).jjn_id for ref in ("P2", "C2"))
    assert p2 != c2
    assert (
        ReviewItem.objects.using("vault")
        .filter(kind="pair", left_id=item.left_id, right_id=item.right_id)
        .count()
        == 1
    )


@pytest.mark.slow
@pytest.mark.spark
def test_link_on_spark_gives_the_same_merges():
    cps = people()
    summary = run_linkage(by=None, engine="spark")
    assert summary.merges == 1
    p1 = VictimRecord.objects.using("vault").get(body="E23000036", person_ref="P1").jjn.display
    assert registry.resolve(cps["C1"]) == p1


def test_link_refuses_a_model_that_is_not_a_file(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("link", "--model", str(tmp_path), "--verbosity", "0")
    assert not AuditEvent.objects.filter(action="identity.link").exists()

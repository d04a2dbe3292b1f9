"""`justice-journey demo` on a data folder no installation step has set up."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CLI = Path(sys.executable).parent / "justice-journey"


def test_the_demo_sets_up_a_new_data_folder_before_building(tmp_path):
    # A demo recorded as built: the command goes straight to the accounts, which need the databases.
    marker = tmp_path / "demo" / "complete.json"
    marker.parent.mkdir(parents=True)
    marker.write_text(
        json.dumps(
            {"periods": ["2025-26 Q1"], "submissions": 3, "rejected_whole": [], "refused_rows": [],
             "linkage": "", "figures": 7}
        ),
        encoding="utf-8",
    )  # fmt: skip
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "VAULT_DATABASE_URL")},
        "JJ_DATA_DIR": str(tmp_path),
        "DEBUG": "true",
    }
    done = subprocess.run([CLI, "demo"], env=environment, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Setting up the databases (default, vault) ..." in done.stdout
    assert "The demo is ready (3 submissions, 7 figures)." in done.stdout
    assert "Demo accounts" in done.stdout
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM standard_metric").fetchone()[0] > 0
    with sqlite3.connect(tmp_path / "vault.sqlite3") as vault:
        assert vault.execute("SELECT count(*) FROM django_migrations").fetchone()[0] > 0
    again = subprocess.run([CLI, "demo"], env=environment, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "Setting up" not in again.stdout


# The demo narrowed to one area and one quarter, its bodies ingested two at a time in processes of their own.
PARALLEL_BUILD = """
import json, sys
import django
django.setup()
from django.core.management import call_command
for database in ("default", "vault"):
    call_command("migrate", database=database, verbosity=0)
call_command("load_standard", verbosity=0)
from journeys.models import Submission
from synthetic.demo import build_demo
said = []
summary = build_demo(say=said.append, period_from="2025-26 Q1", period_to="2025-26 Q1",
                     bodies=set(sys.argv[1].split(",")), workers=2)
sent = sorted(Submission.objects.values_list("body__code", "file_name", "status"))
print(json.dumps({"said": said, "sent": sent, "figures": summary.figures}))
"""


def test_bodies_ingested_in_parallel_store_every_file_once(tmp_path):
    area = ["E23000036", "WCU-E23000036", "CPS-SW", "PR-SW"]
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "VAULT_DATABASE_URL")},
        "JJ_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    done = subprocess.run(
        [sys.executable, "-c", PARALLEL_BUILD, ",".join(area)],
        env=environment, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    bodies = tmp_path / "demo" / "synthetic" / "bodies"
    sending = [body for body in area if (bodies / body).is_dir()]  # in one quarter, not every body sends
    assert len(sending) >= 2
    assert f"Ingesting every body's files ({len(sending)} bodies, 2 at a time) ..." in result["said"]
    assert f"  {len(sending)} of {len(sending)} bodies" in result["said"]
    files = sorted((body, path.name) for body in sending for path in (bodies / body).iterdir())
    sent = [(body, name) for body, name, _ in result["sent"]]
    assert sent == sorted([*files, ("E23000036", "events-corrections.csv")])  # each file once, none missed
    assert {status for _, _, status in result["sent"]} == {"stored"}
    assert result["figures"] > 0

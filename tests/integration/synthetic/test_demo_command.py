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

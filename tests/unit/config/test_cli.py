"""The `justice-journey` command when the settings it needs are missing or malformed."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import config

KEY_HINT = "Hint: run `make install`, which writes .env with fresh random keys, or see .env.example."


def run_without_env(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    """`justice-journey check` from a copy of the source without .env (settings read the .env beside the source,
    so the config package is copy enough), with `settings` as the only keys in the environment."""
    shutil.copytree(
        Path(config.__file__).parent,
        tmp_path / "config",
        ignore=shutil.ignore_patterns("__pycache__", "locale"),
    )
    assert not (tmp_path / ".env").exists()
    environment = {
        name: value for name, value in os.environ.items() if name not in {"SECRET_KEY", "VAULT_KEY"}
    }
    environment.update(settings, PYTHONPATH=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(
        [sys.executable, "-c", "from config.cli import main; main()", "check"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ({}, f"The setting SECRET_KEY is required but not set. {KEY_HINT}"),
        ({"SECRET_KEY": "x" * 50}, f"The setting VAULT_KEY is required but not set. {KEY_HINT}"),
        (
            {"SECRET_KEY": "x" * 50, "VAULT_KEY": "y" * 44, "DEBUG": "maybe"},
            "The setting DEBUG='maybe' is not a yes/no value. Hint: use true or false.",
        ),
    ],
)
def test_a_missing_or_malformed_setting_is_said_in_one_line_without_a_traceback(tmp_path, given, said):
    ran = run_without_env(tmp_path, **given)
    assert ran.returncode == 1
    assert (ran.stdout, ran.stderr) == ("", said + "\n")

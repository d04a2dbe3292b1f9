"""Every action the service writes to the audit log is explained where administrators read about the log."""

import argparse
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("accounts", "analytics", "compliance", "config", "hub", "identity", "journeys", "oversight",
            "publication", "standard", "synthetic")  # fmt: skip
# action="x.y", and the conditional form action="a" if ... else "b".
RECORDED = re.compile(r'\baction="([a-z_.]+)"(?: if [^\n]+? else "([a-z_.]+)")?')
# Command options are written action="store_true" too: those are argparse's, not the log's.
OPTION_ACTIONS = set(argparse.ArgumentParser()._registries["action"])


def recorded_actions() -> set[str]:
    found: set[str] = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for match in RECORDED.finditer(path.read_text(encoding="utf-8")):
                found.update(name for name in match.groups() if name)
    return found - OPTION_ACTIONS


def documented_actions() -> set[str]:
    text = (ROOT / "docs" / "accounts.md").read_text(encoding="utf-8")
    table = text[text.index("| Action | When |") :].split("\n\n")[0]
    return {
        name for line in table.splitlines()[2:] for name in re.findall(r"`([a-z_.]+)`", line.split("|")[1])
    }


def test_every_recorded_action_is_in_the_audit_log_table():
    recorded = recorded_actions()
    assert {"sign_in", "identity.person_view", "submission.dry_run", "submission.create"} <= recorded
    assert recorded - documented_actions() == set()


def test_the_table_names_no_action_the_service_does_not_record():
    assert documented_actions() - recorded_actions() == set()

"""The service speaks Welsh on every page: the catalogue has a translation for every string, and the compiled
catalogue the server reads holds the same translations."""

import gettext
import subprocess
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[3] / "config" / "locale" / "cy" / "LC_MESSAGES"


def test_every_string_of_the_service_has_its_welsh():
    statistics = subprocess.run(
        ["msgfmt", "--check-format", "--statistics", "-o", "-", str(LOCALE / "django.po")],
        capture_output=True,
        text=False,
        check=True,
    ).stderr.decode()
    assert "untranslated" not in statistics and "fuzzy" not in statistics, statistics


def test_the_compiled_catalogue_is_the_catalogue(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(LOCALE / "django.po")], check=True)
    with compiled.open("rb") as fresh, (LOCALE / "django.mo").open("rb") as committed:
        expected, served = gettext.GNUTranslations(fresh), gettext.GNUTranslations(committed)
    assert served._catalog == expected._catalog, "run make messages: django.mo is older than django.po"  # type: ignore[attr-defined]

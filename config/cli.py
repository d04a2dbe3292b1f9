"""The `justice-journey` command: Django's management commands under the product's name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    from config.env import SettingError

    try:
        execute_from_command_line(["justice-journey", *sys.argv[1:]])
    except SettingError as error:
        # The operator's to fix, and the message says how: a traceback through Django's start-up would bury it.
        sys.exit(str(error))

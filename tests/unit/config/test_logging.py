"""Log lines reach standard error once, whatever DEBUG is."""

import logging

from django.conf import settings
from django.test import override_settings
from django.utils.log import configure_logging


def test_a_background_task_line_is_written_once_with_debug_on(capfd):
    with override_settings(DEBUG=True):
        configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
        try:
            logging.getLogger("django.tasks").warning("Task id=1 state=RUNNING")
            assert capfd.readouterr().err.count("Task id=1 state=RUNNING") == 1
        finally:
            configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)

"""The embedded database (SQLite) under two writers at once, as a web request and a background task would be."""

import json
import os
import subprocess
import sys

# Two connections: the first holds a write transaction open; the second reads then writes in its own.
TWO_WRITERS = """
import json, threading, time
import django
django.setup()
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE probe (n integer)")
    cursor.execute("PRAGMA journal_mode")
    results = {"journal_mode": cursor.fetchone()[0]}
connection.close()
writing = threading.Event()

def run(name, steps):
    try:
        with transaction.atomic():
            steps()
        results[name] = "ok"
    except Exception as error:
        results[name] = f"{type(error).__name__}: {error}"
    finally:
        writing.set()
        connection.close()

def first():
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO probe VALUES (1)")
    writing.set()
    time.sleep(1.5)

def second():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM probe")
        cursor.execute("INSERT INTO probe VALUES (2)")

threads = [threading.Thread(target=run, args=("first", first))]
threads[0].start()
writing.wait()
threads.append(threading.Thread(target=run, args=("second", second)))
threads[1].start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM probe")
    results["rows"] = cursor.fetchone()[0]
print(json.dumps(results))
"""


def test_a_second_writer_waits_for_the_first_instead_of_failing(tmp_path):
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "VAULT_DATABASE_URL")},
        "JJ_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    done = subprocess.run(
        [sys.executable, "-c", TWO_WRITERS], env=environment, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    # Without the settings: {"journal_mode": "delete", "second": "OperationalError: database is locked", ...}
    assert json.loads(done.stdout) == {"journal_mode": "wal", "first": "ok", "second": "ok", "rows": 2}

"""The embedded runtime end to end, as `make run` starts it: SQLite, the in-memory channel
layer, demo data, one daphne process. No PostgreSQL, no Redis.

Everything runs in subprocesses with `academy.settings.dev`, a SQLite file in a temporary
directory and REDIS_URL removed from the environment, so this proves the path a newcomer
takes works on a machine with nothing else installed.
"""

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from academy.settings.base import BASE_DIR

pytestmark = pytest.mark.slow

COMMAND_TIMEOUT = 300  # seconds for migrate (a minute on a slow machine) or seed_demo
SERVER_START_TIMEOUT = 60  # seconds for daphne to answer its first request
REQUEST_TIMEOUT = 10  # seconds for one HTTP request
SERVER_STOP_TIMEOUT = 10  # seconds between SIGTERM and SIGKILL

# Variables that would steer the settings away from the embedded defaults.
SERVICE_VARIABLES = {"REDIS_URL", "DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "CSRF_TRUSTED_ORIGINS"}
COUNTED_TABLES = {
    "programmes": "academy_programme",
    "organisations": "academy_organisation",
    "cohorts": "academy_cohort",
    "people": "academy_user",
    "memberships": "academy_membership",
    "invitations": "academy_invitation",
    "email addresses": "account_emailaddress",
}


@dataclass
class EmbeddedSite:
    url: str
    database: Path
    first_seed: subprocess.CompletedProcess
    second_seed: subprocess.CompletedProcess
    counts_after_first_seed: dict[str, int]
    counts_after_second_seed: dict[str, int]
    log: Path


def embedded_env(database: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in SERVICE_VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE="academy.settings.dev",
        DATABASE_URL=f"sqlite:///{database}",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def table_counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database, timeout=REQUEST_TIMEOUT) as connection:
        return {
            name: connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for name, table in COUNTED_TABLES.items()
        }


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    """GET without raising on 4xx/5xx: the status is what the tests look at."""
    try:
        with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_until_answering(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"daphne exited with status {process.returncode} before answering:\n{log.read_text()}")
        try:
            fetch(url)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            time.sleep(0.25)
    pytest.fail(f"daphne did not answer {url} within {SERVER_START_TIMEOUT} s:\n{log.read_text()}")


def stop(process: subprocess.Popen) -> None:
    """SIGTERM daphne's process group, then SIGKILL if it lingers; never leave it running."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=SERVER_STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=SERVER_STOP_TIMEOUT)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="module")
def embedded_site(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("embedded")
    database = workdir / "academy.sqlite3"
    env = embedded_env(database)

    manage("migrate", "--noinput", env=env)
    first_seed = manage("seed_demo", env=env)
    counts_after_first_seed = table_counts(database)
    second_seed = manage("seed_demo", env=env)
    counts_after_second_seed = table_counts(database)

    port = free_port()
    log = workdir / "daphne.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "academy.asgi:application"],
            cwd=BASE_DIR,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, so stop() reaches any child too
        )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_answering(url + "/healthz", process, log)
        yield EmbeddedSite(
            url=url,
            database=database,
            first_seed=first_seed,
            second_seed=second_seed,
            counts_after_first_seed=counts_after_first_seed,
            counts_after_second_seed=counts_after_second_seed,
            log=log,
        )
    finally:
        stop(process)


def test_seed_demo_fills_an_empty_database(embedded_site):
    counts = embedded_site.counts_after_first_seed

    assert "Demo data ready:" in embedded_site.first_seed.stdout
    assert counts["programmes"] >= 2
    assert counts["cohorts"] >= 3
    assert counts["people"] >= 20
    assert counts["memberships"] >= counts["people"] - 2  # trainer and admin sit in no cohort
    assert counts["email addresses"] == counts["people"]


def test_seed_demo_run_twice_creates_nothing_twice(embedded_site):
    def printed_summary(result):
        return re.search(r"Demo data ready: (.*)\.", result.stdout).group(1)

    assert embedded_site.counts_after_second_seed == embedded_site.counts_after_first_seed
    assert printed_summary(embedded_site.second_seed) == printed_summary(embedded_site.first_seed)


def test_healthz_reports_sqlite_and_the_in_memory_channel_layer_ok(embedded_site):
    status, headers, body = fetch(embedded_site.url + "/healthz")

    assert status == 200, body
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"status": "ok", "database": "ok", "channel_layer": "ok"}


def test_home_page_is_served_with_the_demo_programmes(embedded_site):
    status, headers, body = fetch(embedded_site.url + "/")

    page = body.decode()
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert "<html" in page and "</html>" in page
    assert "Building Bridges" in page  # a programme from the demo data


def test_stylesheet_is_served_without_collectstatic(embedded_site):
    status, headers, _ = fetch(embedded_site.url + "/static/css/site.css")

    assert status == 200
    assert headers["Content-Type"].startswith("text/css")


def test_sign_in_page_answers(embedded_site):
    status, _, body = fetch(embedded_site.url + "/accounts/login/")

    assert status == 200
    assert b'name="password"' in body

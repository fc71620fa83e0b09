"""Browser tests: Playwright's sync API driving Debian's Chromium against `live_server`.

Never a downloaded browser: Chromium is /usr/bin/chromium (`make chromium` installs it).
If it is missing the tests fail, loudly; they never skip, so CI cannot go green without
having run them.

Screenshots go to test-artifacts/e2e/ (gitignored): each journey saves its key steps and
its end, and any page still open when a test fails is saved as `...-failure.png`.
"""

import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core import mail

from academy.settings.base import BASE_DIR
from tests.factories import ensure_wagtail_site, totp_code

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = BASE_DIR / "test-artifacts" / "e2e"
TIMEOUT_MS = 15_000  # any one browser action or assertion
LAUNCH_TIMEOUT_MS = 60_000


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixtures can tell that a test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


class Chromium:
    """Debian's Chromium, launched headless on first use.

    Launching lazily, from inside the test, makes a missing browser a test *failure*
    (not a setup error, never a skip) with a message that says what to install.
    """

    def __init__(self):
        self._playwright = None
        self._browser = None

    def get(self):
        if self._browser is None:
            if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
                pytest.fail(
                    f"{CHROMIUM} is missing: the browser tests need Debian's chromium. "
                    "Install it with `make chromium` (apt-get install chromium); "
                    "a browser downloaded by Playwright is never used.",
                    pytrace=False,
                )
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, timeout=LAUNCH_TIMEOUT_MS
            )
        return self._browser

    def close(self):
        try:
            if self._browser is not None:
                self._browser.close()
        finally:
            if self._playwright is not None:
                self._playwright.stop()
            self._browser = self._playwright = None


@pytest.fixture(scope="package")
def chromium() -> Iterator[Chromium]:
    """One headless Chromium for the e2e package.

    Playwright's sync API keeps an asyncio loop running in this thread, which makes
    Django's async-safety guard refuse ORM calls from the test (factories, assertions,
    the database flush between tests). DJANGO_ALLOW_ASYNC_UNSAFE lifts the guard while
    the e2e package runs, and only then: the server side runs in live_server's own
    thread anyway.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    browser = Chromium()
    try:
        yield browser
    finally:
        browser.close()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site_url(live_server, settings) -> str:
    """The live server's address, also used for links in emails.

    Each test gets a fresh local-memory cache: allauth's rate limits (per IP, per email)
    would otherwise carry over from earlier tests or runs, above all in a shared Redis.
    """
    settings.ACADEMY_SITE_URL = live_server.url
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"e2e-{time.time_ns()}"}
    }
    mail.outbox.clear()
    return live_server.url


def _browser_contexts(chromium, request, label: str, **options) -> Iterator[Callable]:
    """Open pages in fresh browser contexts (each a separate person, with their own
    cookies); close them at the end, saving the pages of a failed test."""
    contexts = []

    def _open():
        context = chromium.get().new_context(locale="en-GB", **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield _open

    reports = [getattr(request.node, f"report_{when}", None) for when in ("setup", "call")]
    failed = any(report is not None and report.failed for report in reports)
    for number, context in enumerate(contexts, start=1):
        try:
            if failed:
                for page in context.pages:
                    _save(page, f"{request.node.name}-{label}{number}-failure")
        finally:
            context.close()


@pytest.fixture
def new_page(chromium, request) -> Iterator[Callable]:
    """`new_page()` opens a page in a fresh browser context: a separate person, with
    their own cookies, on a laptop-sized screen."""
    yield from _browser_contexts(chromium, request, "context", viewport={"width": 1280, "height": 900})


@pytest.fixture
def screenshot(request) -> Callable:
    """`screenshot(page, "step")` saves test-artifacts/e2e/<test>-<nn>-<step>.png."""
    counter = iter(range(1, 100))

    def _screenshot(page, step: str) -> Path:
        return _save(page, f"{request.node.name}-{next(counter):02d}-{step}")

    return _screenshot


def _save(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def authenticator_app() -> Callable[[str], str]:
    """`authenticator_app(secret)`: the code an authenticator app shows now for `secret`."""
    return totp_code


@pytest.fixture
def wagtail_site(site_url):
    """Wagtail's default site and its rows, made again if an earlier transactional test's
    flush removed them (a journey through the CMS needs them)."""
    return ensure_wagtail_site()


# ------------------------------------------------------------------------------
# An ASGI live server: HTTP and websockets (the live room) on the test database
# ------------------------------------------------------------------------------
ASGI_SERVER_START_TIMEOUT = 30  # seconds for the in-process daphne to listen
IN_MEMORY_CHANNEL_LAYER = "channels.layers.InMemoryChannelLayer"


class DaphneThread:
    """daphne serving `academy.asgi:application` (HTTP, static files through whitenoise,
    websockets) from a background thread of the test process: the server of a run on an
    in-memory SQLite test database, which no other process can open. A thread of this
    process can (Django names it `file:memorydb_default?mode=memory&cache=shared`, which
    every connection of the process opens); its sync code (views, the room's services)
    runs in asgiref's worker threads, each with its own connection.

    Twisted's reactor runs once per process and cannot be restarted: one thread serves
    the whole run (the session-scoped `asgi_server_thread`). The room's hub keeps
    listening on this process's channel layer for the rest of the run, which only the
    in-memory layer allows: Redis's layer refuses a second event loop's receive (the
    websocket tests that follow), so `asgi_live_server` uses a thread only without it.
    """

    def __init__(self):
        import threading

        from daphne.endpoints import build_endpoint_description_strings
        from daphne.server import Server  # daphne's app config already installed the asyncio reactor

        from academy.asgi import application

        self.server = Server(
            application=application,
            endpoints=build_endpoint_description_strings(host="127.0.0.1", port=0),
            signal_handlers=False,  # not the main thread
            verbosity=0,
            application_close_timeout=5,
        )
        self.failure = None
        self.thread = threading.Thread(target=self._run, name="e2e-daphne", daemon=True)

    def _run(self):
        try:
            self.server.run()
        except BaseException as error:  # reported by start() or the next test
            self.failure = error

    def start(self):
        self.thread.start()
        deadline = time.monotonic() + ASGI_SERVER_START_TIMEOUT
        while not self.server.listening_addresses:
            if self.failure is not None or not self.thread.is_alive():
                raise RuntimeError(f"daphne stopped before listening: {self.failure!r}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"daphne did not listen within {ASGI_SERVER_START_TIMEOUT} s")
            time.sleep(0.05)

    @property
    def url(self) -> str:
        host, port = self.server.listening_addresses[0]
        return f"http://{host}:{port}"

    def check_alive(self):
        if self.failure is not None or not self.thread.is_alive():
            pytest.fail(f"the in-process daphne has stopped: {self.failure!r}", pytrace=False)

    def wait_until_idle(self, timeout: float = 10):
        """Until every connection has closed and its application instance finished (the
        room's disconnect handlers write to the database)."""
        deadline = time.monotonic() + timeout
        while self.server.connections and time.monotonic() < deadline:
            time.sleep(0.1)

    def stop(self):
        from twisted.internet import reactor

        if self.thread.is_alive():
            reactor.callFromThread(self.server.stop)
            self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def asgi_server_thread() -> Iterator[DaphneThread]:
    """The one in-process daphne of the run, started when a test first needs it."""
    server = DaphneThread()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _database_url_for_a_server_process() -> str | None:
    """The DATABASE_URL by which another process opens this run's test database; None
    for an in-memory SQLite database (no other process can)."""
    from django.db import connection

    from tests.roundtables.servers import database_url_for

    if connection.vendor == "sqlite":
        return None if connection.is_in_memory_db() else f"sqlite:///{connection.settings_dict['NAME']}"
    return database_url_for(os.environ["DATABASE_URL"], connection.settings_dict["NAME"])


@pytest.fixture
def asgi_live_server(transactional_db, settings, request, tmp_path) -> Iterator[str]:
    """The address of an ASGI server (HTTP, static files and websockets) on the test
    database: the `live_server` of pages that open websockets, such as the live room.
    Transactional, like `live_server`: the server sees what the test commits.

    On PostgreSQL (CI) it is a daphne process of its own, started for the test and
    stopped after it, with the in-memory channel layer (one process needs no Redis, and
    shares no room channels with other runs). On the in-memory SQLite database of a local
    run it is the in-process `asgi_server_thread`.

    Request it before `new_page`: the pages then close first, before the server stops
    (or, in-process, finishes with their sockets) and the database is flushed. Like
    `site_url`, it points links in emails at itself and gives the test a fresh
    local-memory cache."""
    from tests.roundtables.servers import DaphneServer

    database_url = _database_url_for_a_server_process()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"e2e-{time.time_ns()}"}
    }
    mail.outbox.clear()
    if database_url is None:
        if settings.CHANNEL_LAYERS["default"]["BACKEND"] != IN_MEMORY_CHANNEL_LAYER:
            pytest.skip(
                "an in-memory SQLite test database needs the in-process server, and that needs the in-memory "
                "channel layer: unset REDIS_URL, or set DATABASE_URL=postgres://… as CI does"
            )
        thread = request.getfixturevalue("asgi_server_thread")
        thread.check_alive()
        settings.ACADEMY_SITE_URL = thread.url
        yield thread.url
        thread.wait_until_idle()
        thread.check_alive()
        return

    env = {name: value for name, value in os.environ.items() if name != "REDIS_URL"}
    env.update(DJANGO_SETTINGS_MODULE="academy.settings.test", DATABASE_URL=database_url, PYTHONUNBUFFERED="1")
    server = DaphneServer("e2e", env, tmp_path)
    try:
        server.start()
        server.wait_until_healthy()
        settings.ACADEMY_SITE_URL = server.url
        yield server.url
        assert server.alive, "daphne exited during the test:\n" + server.log_tail()
    finally:
        server.stop()
        print(f"----- daphne log (tail) -----\n{server.log_tail()}")  # shown when the test fails


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def new_phone_page(chromium, request) -> Iterator[Callable]:
    """`new_phone_page()`: like `new_page()`, a page in a fresh browser context (a
    separate person), on a phone: 390×844, touch, no hover (so no "Enter sends")."""
    yield from _browser_contexts(chromium, request, "phone", **PHONE)

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
from tests.factories import totp_code

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


@pytest.fixture
def new_page(chromium, request) -> Iterator[Callable]:
    """`new_page()` opens a page in a fresh browser context: a separate person, with
    their own cookies. Contexts are closed at the end; pages of a failed test are saved."""
    contexts = []

    def _new_page():
        context = chromium.get().new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield _new_page

    reports = [getattr(request.node, f"report_{when}", None) for when in ("setup", "call")]
    failed = any(report is not None and report.failed for report in reports)
    for number, context in enumerate(contexts, start=1):
        try:
            if failed:
                for page in context.pages:
                    _save(page, f"{request.node.name}-context{number}-failure")
        finally:
            context.close()


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
    """Wagtail's root collection, root page, home page, English locale and default site,
    as its data migrations create them: the flush after an earlier transactional test
    removes them, so a journey through the CMS makes sure they exist."""
    from wagtail.models import Collection, Locale, Page, Site

    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if Site.objects.filter(is_default_site=True).exists():
        return Site.objects.get(is_default_site=True)
    locale, _ = Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    home = root.add_child(instance=Page(title="Better Work Academy", slug="home", locale=locale, live=True))
    return Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)

"""Debian's Chromium driven by Playwright's sync API, shared by the browser tests.

Every page the browser tests open is watched (``BrowserProblems``): a console error, an
uncaught script error, a request that failed and a response of 400 or more to anything but
the page itself all fail the test. The ``browser`` fixture (tests/conftest.py) hands out a
``WatchedBrowser`` that asserts none at teardown; tests/a11y checks after every page.

Playwright's own browser download does not work on these machines; Debian's chromium is
installed by scripts/ensure-chromium.sh. The sync API runs an event loop, hence
DJANGO_ALLOW_ASYNC_UNSAFE in the modules that use it.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The one limit of every wait in the browser tests (actions, navigations, `expect`), which all
# wait on a condition and never sleep: generous, because on a busy two-core machine (a suite
# on each core) a navigation to an admin page once took longer than the former 10 s.
TIMEOUT_MS = 60_000
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def launch_chromium() -> Iterator[Any]:
    """Yield a running Chromium; in CI a missing browser fails, elsewhere it skips."""
    if not os.access(CHROMIUM, os.X_OK):
        message = f"{CHROMIUM} is not installed (scripts/ensure-chromium.sh installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)  # in CI a missing browser is a failure, never a silent skip
        pytest.skip(message)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)  # its own default is 5 s
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=TIMEOUT_MS
        )
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: Any, *, width: int = 1280) -> Any:
    """A page in a fresh context, Danish (the primary language) whatever the machine's locale."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)
    return page


# --- console errors and failed requests -----------------------------------------------------------


class BrowserProblems:
    """What went wrong in the contexts it watches: console errors, uncaught script errors,
    requests that failed, and sub-requests (scripts, styles, images, htmx) answered >= 400.

    A navigation's own status is left to the test (the a11y scan visits 403 and 404 pages on
    purpose). ``net::ERR_ABORTED`` is a request the browser itself dropped because the page
    went on (a navigation, or htmx replacing a request), not a failure of the app."""

    def __init__(self) -> None:
        self.found: list[str] = []
        self._pages: set[str] = set()  # the URLs navigated to

    def watch(self, context: Any) -> Any:
        context.on("request", self._request)
        context.on("console", self._console)
        context.on("weberror", self._error)
        context.on("requestfailed", self._failed)
        context.on("response", self._response)
        return context

    def _request(self, request: Any) -> None:
        if request.is_navigation_request():
            self._pages.add(request.url)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            if message.text.startswith("Failed to load resource") and where in self._pages:
                return  # the page's own status (a 403 or 404 page visited on purpose)
            self.found.append(f"console error: {message.text} ({where})")

    def _error(self, error: Any) -> None:
        self.found.append(f"script error: {error.error}")

    def _failed(self, request: Any) -> None:
        failure = request.failure or ""
        if "ERR_ABORTED" in failure:
            return
        self.found.append(f"request failed: {request.method} {request.url} ({failure})")

    def _response(self, response: Any) -> None:
        request = response.request
        if response.status >= 400 and not request.is_navigation_request():
            self.found.append(f"HTTP {response.status}: {request.method} {response.url}")

    def forget(self, pattern: str = "") -> None:
        """Drop what was found so far (or what matches ``pattern``): after a test provoked a
        console error on purpose."""
        if not pattern:
            self.found.clear()
            return
        self.found[:] = [p for p in self.found if not re.search(pattern, p)]

    def take(self) -> list[str]:
        found, self.found = list(self.found), []
        return found

    def assert_none(self, where: str = "") -> None:
        found = self.take()
        label = f" on {where}" if where else ""
        assert not found, f"console errors or failed requests{label}:\n" + "\n".join(found)


class WatchedBrowser:
    """A Playwright browser whose every new context (and page) is watched by ``problems``."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser
        self.problems = BrowserProblems()

    def new_context(self, *args: Any, **kwargs: Any) -> Any:
        return self.problems.watch(self._browser.new_context(*args, **kwargs))

    def new_page(self, *args: Any, **kwargs: Any) -> Any:
        context = self.new_context(*args, **kwargs)
        return context.new_page()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


def launch_watched_chromium() -> Iterator[WatchedBrowser]:
    """``launch_chromium`` whose pages must have no console error and no failed request: the
    test fails at teardown if one had."""
    chromium = launch_chromium()
    watched = WatchedBrowser(next(chromium))
    try:
        yield watched
        watched.problems.assert_none()
    finally:
        chromium.close()

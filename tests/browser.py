"""Debian's Chromium driven by Playwright's sync API, shared by the browser tests.

Playwright's own browser download does not work on these machines; Debian's chromium is
installed by scripts/ensure-chromium.sh. The sync API runs an event loop, hence
DJANGO_ALLOW_ASYNC_UNSAFE in the modules that use it.
"""

import os
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

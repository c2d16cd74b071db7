"""End-to-end tests in Debian's Chromium (never a downloaded browser), against pytest-django's
live server. A failing test leaves a screenshot of every page it had open in test-artifacts/."""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # around it are ordinary synchronous calls, so Django's async-safety check is lifted meanwhile.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def session_for(chromium, live_server, request):
    """session_for(username, password, viewport=DESKTOP) → a Playwright page signed in through the
    login form. Pages still open when the test fails are saved as screenshots."""
    contexts = []

    def open_session(username: str, password: str, viewport: dict | None = None):
        context = chromium.new_context(viewport=viewport or DESKTOP, locale="zh-CN", accept_downloads=True)
        context.set_default_timeout(10_000)
        contexts.append((username, context))
        page = context.new_page()
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("main button[type=submit]")
        page.wait_for_url(re.compile(r"^(?!.*/login/).*$"))
        return page

    yield open_session

    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for username, context in contexts:
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            for index, page in enumerate(context.pages):
                name = re.sub(r"[^\w.-]+", "_", f"{request.node.name}-{username}-{index}.png")
                with contextlib.suppress(Exception):  # a crashed page: nothing to save
                    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
        context.close()


def shoot(page, name: str) -> None:
    """Keep a screenshot for people to look at (test-artifacts/, git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

"""The workbench served for real (uvicorn on a free loopback port) and Debian's chromium driving it.

Every test gets a browser context that is offline: a request to anywhere but the test server is aborted,
recorded, and fails the test; so does any console error or Content-Security-Policy violation on any page.
Every page a test visits is photographed to out/screenshots/<test>-<page>.png. (The machinery: harness.py.)

Locally these tests skip, saying why, when chromium or playwright is missing; with CI=true that fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from harness import CHROMIUM, Browsing, Served, make_store, open_browsing, serve

from support import REFERENCE_CASE, unavailable


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything in this folder is a browser test."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def reference_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    return make_store(tmp_path_factory.mktemp("browser"), REFERENCE_CASE)


@pytest.fixture(scope="session")
def server(reference_store: str) -> Iterator[Served]:
    """The reference case served, one user per role."""
    yield from serve(reference_store)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian chromium under Playwright."""
    if not CHROMIUM.is_file():
        unavailable(f"{CHROMIUM} is missing (Debian package `chromium`; .ci/run installs it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the Python package playwright is missing (`make` installs the dev dependencies)")
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core from node_modules (for the tests only: the app never serves it)."""
    from corroborate.web.assets import node_modules

    path = node_modules() / "axe-core" / "axe.min.js"
    if not path.is_file():
        unavailable(f"{path} is missing (run `make`, which installs it with `npm ci`)")
    return path


@pytest.fixture
def browsing(browser: Any, server: Served, request: pytest.FixtureRequest) -> Iterator[Browsing]:
    """A fresh offline context on the reference case's server."""
    yield from open_browsing(browser, server, request)

"""The browser tests' harness: the real workbench on a free loopback port, an offline browser context that
records what must never happen (a request to another origin, a console error, a CSP violation), screenshots,
signing in and crawling. The fixtures that use it are in conftest.py.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest

from corroborate import services
from corroborate.services import LOCAL_OWNER, Role, Secrets
from support import PASSPHRASE, ROOT

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package `chromium`; never `playwright install`
SCREENSHOTS = ROOT / "out" / "screenshots"
CASE = "border-crossers-2007"
ROLES = ("owner", "investigator", "analyst", "editor", "viewer")
# Chromium reports a CSP violation as a console error already; this listener names the directive too.
# Init scripts come from the driver, so the page's CSP does not apply to them.
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline code'}`
                + ` (${e.sourceFile || 'the page'}:${e.lineNumber})`);
});
"""
NOT_CRAWLED = ("/logout", "/static/")  # sign-out is a POST form anyway; static files are not pages
# Pages a script draws after they load, by path, and what shows it has: the crawl waits for it before the page's
# screenshot and checks (Swagger UI fetches the API's document, then writes its title; until then, "Loading").
DRAWN = {"/api/v1/docs": ".swagger-ui .info"}


def password(role: str) -> str:
    return f"the {role}'s long password"


def make_store(folder: Path, casefile: Path) -> str:
    """A store in ``folder`` holding ``casefile``'s case, with one user per role (passwords: ``password``)."""
    location = str(folder / "case.db")
    secrets = Secrets(passphrase=lambda case: PASSPHRASE, session_dir=folder / "sessions")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CORROBORATE_TRUST_FILE", str(folder / "trust.json"))
        services.import_casefile(location, casefile, actor=LOCAL_OWNER, secrets=secrets)
        services.add_user(location, "owner", password("owner"), Role.owner, actor=LOCAL_OWNER, secrets=secrets)
        owner = services.authenticate(location, "owner", password("owner"))
        for role in ROLES[1:]:
            services.add_user(location, role, password(role), Role(role), actor=owner, secrets=secrets)
    return location


@dataclass
class Served:
    """A workbench answering on the loopback; ``url`` has no trailing slash."""

    url: str
    location: str

    def owns(self, url: str) -> bool:
        """Whether ``url`` goes to this server, and nowhere else."""
        parts, own = urlsplit(url), urlsplit(self.url)
        return (parts.scheme, parts.netloc) == (own.scheme, own.netloc)


def serve(location: str, *, briefings: tuple[Path, ...] = (), publish_dir: Path | None = None) -> Iterator[Served]:
    """The real app under uvicorn, in a background thread, on a port the system picked (no race for it)."""
    import uvicorn

    from corroborate.web import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(location, briefings=briefings, publish_dir=publish_dir)
    config = uvicorn.Config(app, log_level="warning", access_log=False, ws="none",
                            lifespan="off", server_header=False)  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=f"workbench:{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail(f"the workbench did not start on 127.0.0.1:{port}")
        time.sleep(0.05)
    try:
        yield Served(f"http://127.0.0.1:{port}", location)
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")[:90] or "page"


def page_name(url: str) -> str:
    """A short name for a page of the workbench: its path after the case, and its query."""
    parts = urlsplit(url)
    path = re.sub(r"^/cases/[^/]+", "", parts.path).strip("/") or ("dashboard" if "/cases/" in parts.path else "home")
    return slug(f"{path}-{parts.query}" if parts.query else path)


@dataclass
class Browsing:
    """One test's offline browser context, what it recorded, and its screenshots."""

    context: Any
    served: Served
    test: str
    blocked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    shots: list[Path] = field(default_factory=list)

    def new_page(self) -> Any:
        return self.context.new_page()

    def url(self, path: str) -> str:
        return self.served.url + path

    def shoot(self, page: Any, name: str | None = None) -> Path:
        """A full-page screenshot, out/screenshots/<test>-<page>.png."""
        path = SCREENSHOTS / f"{self.test}-{slug(name) if name else page_name(page.url)}.png"
        page.screenshot(path=str(path), full_page=True)
        self.shots.append(path)
        return path

    def visit(self, page: Any, path: str, *, name: str | None = None, drawn: str | None = None) -> Any:
        """Open a page of the server, wait for it to settle (and for ``drawn``, a selector, to appear), photograph
        it; its response."""
        response = page.goto(self.url(path) if path.startswith("/") else path)
        page.wait_for_load_state("load")
        if drawn is not None:
            page.wait_for_selector(drawn)
        self.shoot(page, name)
        return response

    def take_problems(self) -> list[str]:
        """The console errors so far, forgotten (for a test that caused one on purpose)."""
        taken, self.problems[:] = list(self.problems), []
        return taken

    def _watch(self, page: Any) -> None:
        def console(message: Any) -> None:
            if message.type == "error":
                self.problems.append(f"console error on {page.url}: {message.text}")

        page.on("console", console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught error on {page.url}: {error}"))

    def _route(self, route: Any) -> None:
        if self.served.owns(route.request.url):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort("blockedbyclient")


def open_browsing(browser: Any, served: Served, request: pytest.FixtureRequest) -> Iterator[Browsing]:
    """An offline context on ``served``; fails the test on any outside request, console error or CSP violation."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    test = slug(request.node.name)
    for old in SCREENSHOTS.glob(f"{test}-*.png"):  # a page no longer visited leaves no stale picture
        old.unlink()
    context = browser.new_context(base_url=served.url, viewport={"width": 1280, "height": 800}, locale="en-GB")
    state = Browsing(context=context, served=served, test=test)
    context.add_init_script(CSP_LISTENER)
    context.route("**/*", state._route)
    context.on("page", state._watch)
    try:
        yield state
    finally:
        context.close()
    failures = []
    if state.blocked:
        failures.append("requests to other origins were attempted (offline rule):\n  " + "\n  ".join(state.blocked))
    if state.problems:
        failures.append("console errors or CSP violations:\n  " + "\n  ".join(state.problems))
    if failures:
        pytest.fail("\n".join(failures))


def sign_in(browsing: Browsing, page: Any, role: str) -> None:
    """Sign in through the login form as the user of ``role``; ends on the case's dashboard."""
    browsing.visit(page, "/login", name="login")
    page.fill("#username", role)
    page.fill("#password", password(role))
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"**/cases/{CASE}")


def shape(url: str) -> str:
    """What kind of page a URL is: its path with the record's id left out, and its query's names (not values)."""
    parts = urlsplit(url)
    path = re.sub(r"^(/cases/[^/]+/[^/]+)/[^/]+", r"\1/*", parts.path)
    names = sorted({pair.split("=", 1)[0] for pair in parts.query.split("&") if pair})
    return f"{path}?{'&'.join(names)}"


def crawl(browsing: Browsing, page: Any, starts: list[str], *, check: Callable[[Any, str], None] | None = None,
          limit: int = 1000, per_shape: int | None = None) -> dict[str, int]:  # fmt: skip
    """Every page of the server reachable by links from ``starts``: its status, by URL.

    Each page is photographed, and ``check(page, html)`` is called on it with the HTML as sent. With
    ``per_shape``, at most that many pages of each shape (``shape``: the same template with another record
    or filter value) are opened, for checks that depend on the template rather than the data.
    """
    queue = [browsing.url(s) if s.startswith("/") else s for s in starts]
    seen: dict[str, int] = {}
    shapes: dict[str, int] = {}
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        if per_shape is not None and url not in starts and shapes.get(shape(url), 0) >= per_shape:
            continue
        shapes[shape(url)] = shapes.get(shape(url), 0) + 1
        assert len(seen) < limit, f"more than {limit} pages reachable: a crawl trap? ({url})"
        answer = browsing.context.request.get(url, max_redirects=0)
        kind = answer.headers.get("content-type", "")
        seen[url] = answer.status
        if not kind.startswith("text/html"):
            continue  # a download (CSV, attachment): not a page
        sent = answer.text()
        browsing.visit(page, url, drawn=DRAWN.get(urlsplit(url).path))
        if check is not None:
            check(page, sent)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            target = urldefrag(href).url
            path = urlsplit(target).path
            if browsing.served.owns(target) and not path.startswith(NOT_CRAWLED) and target not in seen:
                queue.append(target)
    return seen

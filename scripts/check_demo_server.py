"""What `make demo` does under CI=true instead of serving until Ctrl-C: start the workbench on a free port,
sign in as each demo user, fetch the dashboard, check what it says and the headers it carries, and stop.

Usage: check_demo_server.py STORE PASSWORD-PATTERN   (the pattern's {role} is each demo role)
Exits non-zero, naming what failed, when anything is not as it should be. Only the standard library is used
to talk to the server, as a browser would: a cookie jar, forms, redirects.
"""

from __future__ import annotations

import http.cookiejar
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROLES = ("owner", "investigator", "analyst", "editor", "viewer")
CASE = "border-crossers-2007"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(base: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(200):
        if server.poll() is not None:
            raise SystemExit(f"the server stopped at once (exit code {server.returncode})")
        try:
            urllib.request.urlopen(base + "/login", timeout=2).read()
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    raise SystemExit("the server did not answer within 20 seconds")


def _check(role: str, secret: str, base: str) -> list[str]:
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = browser.open(base + "/login").read().decode()
    token = re.search(r'name="form_token" value="([^"]+)"', login)
    if token is None:
        return [f"{role}: no sign-in form"]
    form = urllib.parse.urlencode({"username": role, "password": secret, "form_token": token.group(1)}).encode()
    answer = browser.open(base + "/login", data=form)
    page = answer.read().decode()
    problems = []
    if f"/cases/{CASE}" not in answer.url:
        problems.append(f"{role}: sign-in did not lead to the case (at {answer.url})")
    if "<dd>12</dd>" not in page or "North Korea" not in page:
        problems.append(f"{role}: the dashboard does not show the case's 12 witnesses")
    if ("Grades of the propositions" in page) == (role == "viewer"):
        problems.append(f"{role}: grades shown to the wrong roles")
    csp = answer.headers.get("Content-Security-Policy", "")
    if "default-src 'self'" not in csp or "unsafe-inline" in csp:
        problems.append(f"{role}: no strict Content-Security-Policy")
    return problems


def main() -> int:
    store, pattern = sys.argv[1], sys.argv[2]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    corroborate = Path(sys.executable).parent / "corroborate"
    server = subprocess.Popen([str(corroborate), "serve", store, "--port", str(port)])
    try:
        _wait(base, server)
        problems = [p for role in ROLES for p in _check(role, pattern.format(role=role), base)]
    finally:
        server.terminate()
        server.wait(timeout=20)
    for problem in problems:
        print(f"demo server: {problem}", file=sys.stderr)
    if not problems:
        print(f"demo server: signed in as {', '.join(ROLES)} at {base}; each dashboard as expected; stopped")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

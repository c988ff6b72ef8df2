"""Signing in with the keyboard alone: Tab from field to field, Enter on the button, and the dashboard opens."""

from __future__ import annotations

from typing import Any

from harness import CASE, Browsing, password


def focused(page: Any) -> str:
    """What has the focus: tag, id and text, e.g. ``input#username`` or ``button:Sign in``."""
    return str(
        page.evaluate(
            "() => { const e = document.activeElement; return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')"
            " + (e.tagName === 'BUTTON' ? ':' + e.textContent.trim() : ''); }"
        )
    )


def test_signing_in_by_keyboard_only_reaches_the_dashboard(browsing: Browsing) -> None:
    page = browsing.new_page()
    browsing.visit(page, f"/cases/{CASE}", name="login")  # signed out: sent to the login page
    assert "/login" in page.url
    for _ in range(10):  # the user name field has the focus at once (autofocus), or a few Tabs away
        if focused(page) == "input#username":
            break
        page.keyboard.press("Tab")
    assert focused(page) == "input#username"
    page.keyboard.type("analyst")
    page.keyboard.press("Tab")
    assert focused(page) == "input#password"
    page.keyboard.type(password("analyst"))
    page.keyboard.press("Tab")
    assert focused(page) == "input#totp"  # left empty: the analyst has no second factor
    page.keyboard.press("Tab")
    assert focused(page) == "button:Sign in"
    browsing.shoot(page, "login-filled")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    assert page.url == browsing.url(f"/cases/{CASE}")  # back where the user was going
    browsing.shoot(page, "dashboard")
    assert page.locator("h1").inner_text().strip()
    assert page.get_by_role("button", name="Sign out", exact=True).is_visible()

"""The README's pictures of the workbench, taken as a newcomer sees the pages: `make screenshots` runs this
and copies them to docs/images/ (committed), so they are refreshed whenever the pages change."""

from __future__ import annotations

from harness import CASE, SCREENSHOTS, Browsing, sign_in

PAGES = {"dashboard": f"/cases/{CASE}", "proposition": f"/cases/{CASE}/propositions/policy.crossers.imprisoned"}


def test_the_readme_images(browsing: Browsing) -> None:
    page = browsing.new_page()
    sign_in(browsing, page, "analyst")
    for name, path in PAGES.items():
        browsing.visit(page, path)
        target = SCREENSHOTS / f"readme-{name}.png"
        page.screenshot(path=str(target), full_page=False)  # the first screen, as the README shows it
        assert target.stat().st_size > 20_000, f"{target} looks empty"

"""The site in a real browser: Debian's Chromium driven by Playwright, the app on 127.0.0.1.

search -> organisation page -> chart visible -> CSV export -> language switch; a name
carrying a script is shown as text and never runs; the keyboard reaches the search box and
the results; no page breaks its own Content-Security-Policy.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from web_fixtures import HOSTILE_SIREN, SCRIPT_NAME, build_store, served

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
SHOTS = Path(os.environ.get("FUNDTRAIL_SCREENSHOTS", "")) if os.environ.get(
    "FUNDTRAIL_SCREENSHOTS") else None  # fmt: skip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's Chromium is absent at /usr/bin/chromium (apt-get install chromium)",
    ),
]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served(build_store(tmp_path_factory.mktemp("browser"))) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(accept_downloads=True, locale="fr-FR")
    opened = context.new_page()
    opened.problems = []  # console errors (a CSP violation is one) and page errors
    opened.on("console", lambda m: m.type == "error" and opened.problems.append(m.text))
    opened.on("pageerror", lambda e: opened.problems.append(str(e)))
    opened.on("dialog", lambda d: (opened.problems.append("dialog: " + d.message), d.dismiss()))
    yield opened
    context.close()


def test_search_organisation_chart_export_and_language(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    page.fill("#home-q", "numérique")
    page.press("#home-q", "Enter")
    page.wait_for_url("**/search?q=*")
    first = page.locator("a.result").first
    name = first.inner_text()
    assert "Numérique pour Tous" in name
    first.click()
    page.wait_for_url("**/organisations/*")
    assert page.locator("h1").inner_text() == name
    chart = page.locator("svg.chart").first
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 20
    assert page.locator("svg.chart rect.chart-bar").count() >= 2
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "organisation.png"), full_page=True)

    with page.expect_download() as download_info:
        page.locator("a.export").first.click()
    download = download_info.value
    content = Path(download.path()).read_text(encoding="utf-8-sig")
    header, *lines = content.splitlines()
    assert header.startswith("funder_key,funder,grants,amount,") and len(lines) >= 2

    page.get_by_role("link", name="English").click()
    page.wait_for_url("**lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="By funder", exact=True).is_visible()
    assert "€" in page.locator("dd.key-figure").inner_text()
    assert page.locator("dd.key-figure").inner_text().startswith("€")
    # The permalink keeps the language, and so do the links of the page.
    page.reload()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "lang=en" in (page.locator("a.brand").get_attribute("href") or "")
    assert page.problems == []


def test_a_script_in_a_name_is_text_and_never_runs(page: Any, base_url: str) -> None:
    for path in (f"/organisations/{HOSTILE_SIREN}", "/search?q=xss", "/grants/5-5-2"):
        page.goto(base_url + path)
        assert page.evaluate("() => window.__pwned === undefined")
        assert page.locator("script").count() == 0
        assert page.locator("img[src='x']").count() == 0
    page.goto(base_url + f"/organisations/{HOSTILE_SIREN}")
    assert page.locator("h1").inner_text() == SCRIPT_NAME.replace(";", ",")
    assert page.problems == []


def test_keyboard_reaches_the_search_and_the_results(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")

    def tab_until(predicate: str, limit: int = 15) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(predicate):
                return
        raise AssertionError(f"the keyboard never reached: {predicate}")

    tab_until("() => document.activeElement.id === 'q'")
    page.keyboard.type("valmont")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=valmont*")
    tab_until("() => document.activeElement.classList.contains('result')", limit=60)
    target = page.evaluate("() => document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_url("**" + target)
    assert page.locator("svg.chart").first.is_visible()
    assert page.problems == []


def test_every_page_keeps_its_content_security_policy(page: Any, base_url: str) -> None:
    pages = (
        "/", "/sources", "/sources/5", "/sources/5/quarantine", "/method", "/api", "/check",
        "/dossiers", "/dossiers/ene", "/signals", "/funders/nom:commune test demo",
    )  # fmt: skip
    for path in pages:
        response = page.goto(base_url + path)
        assert response is not None and response.status == 200, path
        assert "default-src 'none'" in response.headers["content-security-policy"]
    page.goto(base_url + "/check")
    page.fill("#text", "Région : 1 000 €\nMétropole : 500 €\nTotal : 1 600 €")
    page.get_by_role("button", name="Vérifier").click()
    page.wait_for_load_state()
    assert page.locator("mark.contradicted").count() == 1
    assert page.problems == []

"""The cockpit in a real browser: Debian's chromium driven by Playwright.

A Fava server runs in a thread on 127.0.0.1 (a free port); the tests skip
when /usr/bin/chromium is absent.
"""

import datetime
import threading
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data
from beancount_micro.model import read_books, receipts_between
from fava.application import create_app
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/bin/chromium")
Q3_START, Q3_END = datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium (/usr/bin/chromium) is absent"
)


@pytest.fixture
def server(example_path):
    """Fava on 127.0.0.1 with a free port; yields the base URL and the slug."""
    app = create_app([str(example_path)], load=True)
    slug = app.test_client().get("/").location.strip("/").split("/")[0]
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", slug
    httpd.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def page():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.problems = []
        page.on(
            "console",
            lambda m: page.problems.append(m.text) if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: page.problems.append(str(e)))
        yield page
        browser.close()


def open_cockpit(page, server) -> None:
    base, slug = server
    page.goto(f"{base}/{slug}/extension/MicroCockpit/")
    page.wait_for_selector(".micro-chart svg rect.bar")


def test_page_renders_without_console_error(page, server, tmp_path):
    open_cockpit(page, server)
    page.screenshot(path=str(tmp_path / "cockpit.png"), full_page=True)

    assert page.locator("h3", has_text="Déclarations URSSAF").is_visible()
    assert page.locator("#micro-periods tbody tr").count() == 7
    assert (tmp_path / "cockpit.png").stat().st_size > 10_000
    assert page.problems == []


def test_charts_draw_with_a_size(page, server):
    open_cockpit(page, server)

    for series, bars in (("months", 12), ("clients", None), ("projects", None)):
        chart = page.locator(f'.micro-chart[data-series="{series}"] svg')
        box = chart.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 20
        drawn = chart.locator("rect.bar").count()
        assert drawn == bars if bars else drawn >= 2
    gauge = page.locator('[data-kind="micro_ceiling"] svg.micro-bar').bounding_box()
    assert gauge and gauge["width"] > 100 and gauge["height"] > 5
    assert page.problems == []


def test_a_declared_turnover_opens_its_receipts_in_the_journal(
    page, server, tmp_path, example_path
):
    open_cockpit(page, server)
    page.locator('tr[data-period="2026-Q3"] a.micro-turnover-link').click()
    page.wait_for_url("**/journal/**")
    page.wait_for_selector("article .journal")
    page.screenshot(path=str(tmp_path / "journal.png"), full_page=True)

    journal = page.locator("article").inner_text()
    entries, _, options = loader.load_file(str(example_path))
    books = read_books(entries, options)
    receipts = receipts_between(books.receipts, Q3_START, Q3_END)
    others = [
        e
        for e in entries
        if isinstance(e, data.Transaction)
        and Q3_START <= e.date <= Q3_END
        and id(e) not in {id(r.entry) for r in receipts}
    ]

    # 2026-Q3: the payments of July to September, and nothing else (not the
    # invoices, purchases, URSSAF payments or transfers of those months).
    assert len(receipts) >= 10 and len(others) >= 10
    for receipt in receipts:
        assert receipt.entry.narration in journal
    for entry in others:
        assert entry.narration not in journal
    assert page.problems == []

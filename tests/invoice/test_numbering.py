"""Numbering: continuous, chronological, never reused, even under crashes."""

import os
import random
import re
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from beancount import loader
from beancount_micro.invoice import issue_invoice, issue_quote, writeback
from beancount_micro.invoice.errors import NumberingError

BEAN_MICRO = Path(sys.executable).parent / "bean-micro"


def numbers_in(ledger: Path) -> list[str]:
    return re.findall(r'^  invoice: "([^"]+)"', ledger.read_text(), re.M)


def assert_valid_ledger(ledger: Path) -> None:
    _, errors, _ = loader.load_file(str(ledger))
    assert [e.message for e in errors] == []


def test_numbers_follow_each_other_and_quotes_have_their_own_series(books, fx):
    source = books.source("lumiere.toml", fx.business_source)
    config = books.config()
    first = issue_invoice(config, source)
    quote = issue_quote(config, source)
    second = issue_invoice(config, source)
    assert (first.number, quote.number, second.number) == (
        "F-2026-0001", "D-2026-0001", "F-2026-0002",
    )  # fmt: skip
    assert_valid_ledger(books.ledger)


def test_new_year_starts_a_new_series(books, fx):
    # An individual client: no 2027 penalty rate is needed (none is published).
    source = books.source("martin.toml", fx.individual_source)
    config = books.config()
    issue_invoice(config, source, issued=date(2026, 12, 30))
    assert issue_invoice(config, source, issued=date(2027, 1, 4)).number == (
        "F-2027-0001"
    )


def test_issue_date_before_the_previous_invoice_is_refused(books, fx):
    source = books.source("lumiere.toml", fx.business_source)
    config = books.config()
    issue_invoice(config, source, issued=date(2026, 5, 10))
    before = books.ledger.read_bytes()
    with pytest.raises(NumberingError, match="before F-2026-0001 of 2026-05-10"):
        issue_invoice(config, source, issued=date(2026, 5, 9))
    assert books.ledger.read_bytes() == before


def test_draft_takes_no_number_and_writes_no_entry(books, fx):
    source = books.source("lumiere.toml", fx.business_source)
    before = books.ledger.read_bytes()
    draft = issue_invoice(books.config(), source, draft=True)
    assert draft.number is None
    assert "BROUILLON" in fx.pdf_text(draft.pdf.read_bytes())
    assert books.ledger.read_bytes() == before
    assert issue_invoice(books.config(), source).number == "F-2026-0001"


def test_failure_after_render_before_write_leaves_no_gap(books, fx, monkeypatch):
    source = books.source("lumiere.toml", fx.business_source)
    before = books.ledger.read_bytes()

    def crash(path, text, ledger=None):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(writeback, "append_atomically", crash)
    with pytest.raises(RuntimeError):
        issue_invoice(books.config(), source)
    assert books.ledger.read_bytes() == before
    monkeypatch.undo()

    assert issue_invoice(books.config(), source).number == "F-2026-0001"
    assert numbers_in(books.ledger) == ["F-2026-0001"]


def test_failure_while_replacing_the_ledger_keeps_the_old_file(books, fx, monkeypatch):
    source = books.source("lumiere.toml", fx.business_source)
    before = books.ledger.read_bytes()
    real_replace = os.replace

    def fail_on_ledger(src, dst):
        if Path(dst) == books.ledger:
            raise OSError("no space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", fail_on_ledger)
    with pytest.raises(OSError):
        issue_invoice(books.config(), source)
    assert books.ledger.read_bytes() == before
    leftovers = [p.name for p in books.root.iterdir() if p.name.startswith(".ledger")]
    assert [n for n in leftovers if not n.endswith(".lock")] == []


def _command(books, source: Path) -> list[str]:
    return [str(BEAN_MICRO), "invoice", str(source), "--ledger", str(books.ledger)]


def test_twenty_processes_at_once_get_twenty_consecutive_numbers(books, fx):
    source = books.source("lumiere.toml", fx.business_source)
    processes = [
        subprocess.Popen(_command(books, source), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
        for _ in range(20)
    ]  # fmt: skip
    outputs = [process.communicate(timeout=300) for process in processes]
    assert [p.returncode for p in processes] == [0] * 20, outputs

    expected = [f"F-2026-{n:04d}" for n in range(1, 21)]
    assert numbers_in(books.ledger) == expected
    pdfs = sorted(p.name for p in (books.root / "documents/factures").glob("*.pdf"))
    assert pdfs == [f"{n}.pdf" for n in expected]
    assert_valid_ledger(books.ledger)


def test_sigkill_at_random_points_leaves_no_gap_and_no_partial_entry(books, fx):
    source = books.source("lumiere.toml", fx.business_source)
    rng = random.Random(20260430)
    for _ in range(8):
        process = subprocess.Popen(
            _command(books, source),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.2, 1.6))
        process.send_signal(signal.SIGKILL)
        process.wait()

        numbers = numbers_in(books.ledger)
        assert numbers == [f"F-2026-{n:04d}" for n in range(1, len(numbers) + 1)]
        assert_valid_ledger(books.ledger)

    # The lock of a killed process is released by the kernel: issuing goes on.
    done = subprocess.run(_command(books, source), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    numbers = numbers_in(books.ledger)
    assert numbers == [f"F-2026-{n:04d}" for n in range(1, len(numbers) + 1)]
    assert_valid_ledger(books.ledger)


def test_entries_go_to_the_configured_file_when_the_ledger_includes_it(books, fx):
    source = books.source("lumiere.toml", fx.business_source)
    output = books.root / "factures.beancount"
    with pytest.raises(Exception, match=r'add include "factures\.beancount"'):
        issue_invoice(books.config(output=output), source)
    assert not output.exists()

    books.append('include "factures.beancount"\n')
    output.write_text("", encoding="utf-8")
    result = issue_invoice(books.config(output=output), source)
    assert result.ledger_file == output
    assert numbers_in(output) == ["F-2026-0001"]
    assert 'pdf: "documents/factures/F-2026-0001.pdf"' in output.read_text()
    assert_valid_ledger(books.ledger)


def test_business_invoice_without_published_rates_stops(books, fx):
    source = books.source("lumiere.toml", fx.business_source)
    with pytest.raises(Exception, match="not published for 2027-01-04"):
        issue_invoice(books.config(), source, issued=date(2027, 1, 4))
    assert "F-2027" not in books.ledger.read_text()


def test_a_series_past_the_largest_rank_is_refused_not_reused(books, fx):
    source = books.source("lumiere.toml", fx.business_source)
    config = books.config()
    issue_invoice(config, source, issued=date(2026, 5, 10))
    last = "F-2026-" + "9" * 18  # A typo: the largest rank that can be read.
    books.ledger.write_text(
        books.ledger.read_text("utf-8").replace("F-2026-0001", last), "utf-8"
    )
    before = books.ledger.read_bytes()
    with pytest.raises(NumberingError, match=f"has reached rank {'9' * 18}"):
        issue_invoice(config, source, issued=date(2026, 5, 11))
    assert books.ledger.read_bytes() == before

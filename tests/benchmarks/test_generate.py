"""The benchmark ledger generator: exact size, determinism, conventions kept."""

import datetime
import importlib.util
import re
import sys

import pytest
from beancount import loader
from beancount.core import data
from beancount_micro.model import read_books
from conftest import ROOT


@pytest.fixture(scope="module")
def generate():
    path = ROOT / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("bench_generate", path)
    module = importlib.util.module_from_spec(spec)
    # Dataclasses look their module up in sys.modules while being built.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module.generate
    sys.modules.pop(spec.name, None)


@pytest.fixture(scope="module")
def ledger(generate):
    text = generate(1500, seed=7)
    entries, errors, options = loader.load_string(text)
    return text, entries, errors, options


def test_ledger_has_exactly_the_transactions_asked_for(ledger):
    _, entries, _, _ = ledger
    assert sum(isinstance(e, data.Transaction) for e in entries) == 1500


def test_same_seed_gives_the_same_file_and_another_seed_another(generate, ledger):
    assert generate(1500, seed=7) == ledger[0]
    assert generate(1500, seed=8) != ledger[0]


def test_dates_stay_within_the_published_regime_years(ledger):
    _, entries, _, _ = ledger
    dates = [e.date for e in entries if not isinstance(e, data.Open)]
    assert min(dates) == datetime.date(2024, 1, 1)
    assert max(dates) <= datetime.date(2026, 11, 30)


def test_plugins_find_only_thresholds_crossed(ledger):
    """Beancount's own checks pass; every declaration due is filed."""
    _, _, errors, _ = ledger
    messages = [e.message for e in errors]
    assert messages, "the turnover of a 1500-transaction ledger crosses thresholds"
    assert all(re.search(r"threshold|ceiling", m) for m in messages), messages


def test_every_quarter_due_by_the_end_is_declared_once(ledger):
    _, entries, _, options = ledger
    books = read_books(entries, options)
    periods = [d.period_id for d in books.declarations]
    assert periods == [
        "2024-Q1+2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2",
        "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3",
    ]  # fmt: skip
    assert sorted(books.urssaf_payments) == sorted(periods)
    assert books.errors == []


def test_no_plugin_line_when_asked(generate):
    assert "\nplugin " not in generate(400, seed=1, plugin=False)

"""Fixtures shared by the whole test suite."""

import textwrap
from pathlib import Path

import pytest
from beancount import loader

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLE_LEDGER = ROOT / "ledger.example.beancount"

needs_shared = pytest.mark.skipif(
    not SHARED.exists(), reason="../shared (reference data and cases) is absent"
)


@pytest.fixture
def load_ledger():
    """Load a ledger written inline (dedented) with Beancount's real loader."""

    def load(text: str):
        entries, errors, options = loader.load_string(textwrap.dedent(text))
        return entries, errors, options

    return load

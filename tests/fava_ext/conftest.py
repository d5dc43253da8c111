"""Fixtures of the Fava extension tests: ledgers with the extension switched on."""

import textwrap
from pathlib import Path

import pytest
from fava.application import create_app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "ledger.example.beancount"
EXTENSION_LINE = '2025-03-10 custom "fava-extension" "beancount_micro.fava_ext"\n'
TODAY = "2026-11-30"


def with_extension(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` with the extension's directive appended."""
    path.write_text(text + "\n" + EXTENSION_LINE, encoding="utf-8")
    return path


@pytest.fixture
def example_path(tmp_path, monkeypatch) -> Path:
    """A copy of the example ledger that switches the extension on."""
    if not EXAMPLE.exists():
        pytest.skip("ledger.example.beancount is not in the repository yet")
    monkeypatch.setenv("BEANCOUNT_MICRO_TODAY", TODAY)
    return with_extension(tmp_path / "ledger.beancount", EXAMPLE.read_text("utf-8"))


class FavaClient:
    """Flask's test client on a Fava app, with the ledger's slug."""

    def __init__(self, path: Path) -> None:
        self.app = create_app([str(path)], load=True)
        self.client = self.app.test_client()
        self.slug = self.client.get("/").location.strip("/").split("/")[0]

    @property
    def ledger(self):
        return self.app.config["LEDGERS"][self.slug]

    @property
    def extension(self):
        return self.ledger.extensions.get_extension("MicroCockpit")

    def get(self, path: str):
        return self.client.get(f"/{self.slug}/{path}")


@pytest.fixture
def example(example_path) -> FavaClient:
    return FavaClient(example_path)


@pytest.fixture
def fava_for(tmp_path):
    """Build a Fava client on a small ledger written inline."""

    def build(text: str) -> FavaClient:
        path = with_extension(tmp_path / "small.beancount", textwrap.dedent(text))
        return FavaClient(path)

    return build

"""Cost of the Fava extension, measured side by side on a 100k ledger.

Generates a ledger of 100 000 transactions (``generate.py``), loads it in two
Fava apps in one process, one with ``custom "fava-extension"
"beancount_micro.fava_ext"`` and one without, and times requests with
Flask's test client, alternating between the apps. Prints medians and:

- the cockpit page against Fava's own income statement page (the HTML shell
  plus ``api/income_statement``, what the browser fetches); target <= 1.2.
  "cold" is the first opening after a (re)load, when the figures are
  computed; "warm" a later opening of the same load;
- Fava's other pages, and a reload of the ledger, with the extension
  against without; target <= 1.05.

    .venv/bin/python benchmarks/bench_fava.py [--size 100000] [--runs 7]
        [--reloads 3] [--ledger PATH]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXTENSION_LINE = '2000-01-01 custom "fava-extension" "beancount_micro.fava_ext"\n'
OTHER_PAGES = (
    "income_statement/",
    "api/income_statement",
    "api/balance_sheet",
    "api/journal_page?page=1&order=desc",
    "api/events",
    "journal/",
)
COCKPIT = "extension/MicroCockpit/"


def prepare(size: int, folder: Path, ledger: Path | None) -> tuple[Path, Path]:
    """The generated ledger without the extension, and a copy with it."""
    if ledger is None:
        ledger = folder / f"ledger-{size}.beancount"
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(size), str(ledger)],
            check=True,
        )
    text = ledger.read_text(encoding="utf-8")
    bare = folder / "bare.beancount"
    bare.write_text(text, encoding="utf-8")
    with_extension = folder / "with-extension.beancount"
    with_extension.write_text(text + "\n" + EXTENSION_LINE, encoding="utf-8")
    return bare, with_extension


class App:
    """A Fava app on one ledger, with its test client and slug."""

    def __init__(self, path: Path) -> None:
        from fava.application import create_app

        start = time.perf_counter()
        self.app = create_app([str(path)], load=True)
        self.client = self.app.test_client()
        self.slug = self.client.get("/").location.strip("/").split("/")[0]
        self.client.get(f"/{self.slug}/income_statement/")
        self.load_time = time.perf_counter() - start

    def get(self, page: str) -> float:
        start = time.perf_counter()
        response = self.client.get(f"/{self.slug}/{page}")
        elapsed = time.perf_counter() - start
        if response.status_code != 200:
            raise SystemExit(f"{page}: HTTP {response.status_code}")
        return elapsed

    def reload(self) -> float:
        """Time a full reload of the ledger (what a saved edit triggers)."""
        ledger = self.app.config["LEDGERS"][self.slug]
        start = time.perf_counter()
        ledger.load_file()
        return time.perf_counter() - start

    def extension(self):
        ledger = self.app.config["LEDGERS"][self.slug]
        return ledger.extensions.get_extension("MicroCockpit")


def measure(
    bare: App, extended: App, runs: int, reloads: int
) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}

    def add(key: str, value: float) -> None:
        times.setdefault(key, []).append(value)

    for _ in range(reloads):
        add("without reload", bare.reload())
        add("with reload", extended.reload())
    cockpit = extended.extension()
    for _ in range(runs):
        for page in OTHER_PAGES:
            add(f"without {page}", bare.get(page))
            add(f"with {page}", extended.get(page))
        add(
            "income statement page",
            extended.get("income_statement/") + extended.get("api/income_statement"),
        )
        # What a reload does to the extension: forget the figures.
        cockpit.after_load_file()
        add("cockpit cold", extended.get(COCKPIT))
        add("cockpit warm", extended.get(COCKPIT))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--reloads", type=int, default=3)
    parser.add_argument("--ledger", type=Path, help="use this ledger, not a new one")
    args = parser.parse_args()
    os.environ.setdefault("BEANCOUNT_MICRO_TODAY", "2026-11-30")

    with tempfile.TemporaryDirectory() as folder:
        bare_path, extended_path = prepare(args.size, Path(folder), args.ledger)
        bare = App(bare_path)
        extended = App(extended_path)
        print(
            f"first load: without {bare.load_time:.2f} s, "
            f"with {extended.load_time:.2f} s"
        )
        times = measure(bare, extended, args.runs, args.reloads)

    median = {key: statistics.median(values) for key, values in times.items()}
    for key in sorted(median):
        print(f"{key:<32} {median[key] * 1000:9.1f} ms")
    reference = median["income statement page"]
    print("-- ratios (median)")
    for key in ("cockpit cold", "cockpit warm"):
        ratio = median[key] / reference
        verdict = "ok" if ratio <= 1.2 else "over target"
        print(f"{key} / income statement page: {ratio:.2f} (<= 1.2: {verdict})")
    for page in (*OTHER_PAGES, "reload"):
        ratio = median[f"with {page}"] / median[f"without {page}"]
        verdict = "ok" if ratio <= 1.05 else "over target"
        print(f"{page} with / without extension: {ratio:.3f} (<= 1.05: {verdict})")


if __name__ == "__main__":
    main()

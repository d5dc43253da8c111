"""Cost of the beancount-micro plugins against bare ``bean-check``.

Generates ledgers of 10 000 and 100 000 transactions (``generate.py``), then
runs ``bean-check`` (pickle cache off) alternately on the ledger with and
without ``plugin "beancount_micro.plugins.micro"``, and prints the median
times, their ratio (target: at most 1.10) and the growth from 10k to 100k.

    .venv/bin/python benchmarks/bench_plugins.py [--runs 7] [--sizes 10000 100000]
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
ROOT = HERE.parent
SOURCES = ["core", "plugins"]
PLUGIN_LINE = 'plugin "beancount_micro.plugins.micro"'


def bean_check(path: Path) -> float:
    """Wall time of one ``bean-check`` run without the pickle cache."""
    env = dict(os.environ, BEANCOUNT_DISABLE_LOAD_CACHE="1")
    command = [str(Path(sys.executable).with_name("bean-check")), str(path)]
    start = time.perf_counter()
    subprocess.run(command, env=env, capture_output=True, check=False)
    return time.perf_counter() - start


def prepare(size: int, folder: Path) -> tuple[Path, Path]:
    """The generated ledger with the plugins, and a copy without them."""
    with_plugins = folder / f"ledger-{size}.beancount"
    subprocess.run(
        [sys.executable, str(HERE / "generate.py"), str(size), str(with_plugins)],
        check=True,
    )
    text = with_plugins.read_text(encoding="utf-8")
    if PLUGIN_LINE not in text:
        text = f"{PLUGIN_LINE}\n{text}"
        with_plugins.write_text(text, encoding="utf-8")
    bare = folder / f"bare-{size}.beancount"
    lines = [line for line in text.splitlines() if not line.startswith("plugin ")]
    bare.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return bare, with_plugins


def compile_sources() -> None:
    """Compile the package to bytecode, as Beancount's installed modules are.

    An editable install runs from the source folders, and where
    PYTHONDONTWRITEBYTECODE is set Python never caches their bytecode: each
    run would compile them again, which bare ``bean-check`` never does.
    """
    folders = [str(ROOT / name) for name in SOURCES]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *folders], check=True)
    # The regime data's compiled copy, the same way (see regime/cache.py).
    subprocess.run([sys.executable, "-m", "beancount_micro.regime.cache"], check=True)


def measure(size: int, runs: int, folder: Path) -> tuple[float, float]:
    bare, with_plugins = prepare(size, folder)
    bare_times, plugin_times = [], []
    for _ in range(runs):
        bare_times.append(bean_check(bare))
        plugin_times.append(bean_check(with_plugins))
    return statistics.median(bare_times), statistics.median(plugin_times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    compile_sources()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            bare, plugins = measure(size, args.runs, Path(tmp))
            results[size] = (bare, plugins)
            print(
                f"{size:>7} transactions: bare bean-check {bare:6.2f} s, with plugins "
                f"{plugins:6.2f} s, ratio {plugins / bare:.3f} (target <= 1.10)"
            )
    sizes = sorted(results)
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        extra_small = results[small][1] - results[small][0]
        extra_large = results[large][1] - results[large][0]
        print(
            f"growth {small} -> {large} ({large / small:.0f}x entries): bean-check "
            f"{results[large][0] / results[small][0]:.1f}x, with plugins "
            f"{results[large][1] / results[small][1]:.1f}x, plugins' own share "
            f"{extra_small:.2f} s -> {extra_large:.2f} s"
        )


if __name__ == "__main__":
    main()

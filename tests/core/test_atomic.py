"""Atomic writes: links followed, modes kept, the old bytes untouched."""

import os
import threading

from beancount_micro.atomic import append_text_atomic, locked, write_bytes_atomic


def test_a_symlinked_ledger_is_written_through_its_link(tmp_path):
    real = tmp_path / "books.beancount"
    real.write_text("; books\n", encoding="utf-8")
    os.chmod(real, 0o640)
    link = tmp_path / "link.beancount"
    link.symlink_to(real)

    append_text_atomic(link, "2026-01-01 open Assets:Bank EUR\n")

    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == (
        "; books\n2026-01-01 open Assets:Bank EUR\n"
    )
    assert real.stat().st_mode & 0o777 == 0o640
    # No temporary file is left behind.
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "books.beancount",
        "link.beancount",
    ]


def test_a_missing_final_newline_is_added_before_appending(tmp_path):
    path = tmp_path / "books.beancount"
    path.write_bytes(b"; no newline")
    append_text_atomic(path, "; next")
    assert path.read_bytes() == b"; no newline\n; next\n"


def test_concurrent_appenders_under_the_lock_lose_nothing(tmp_path):
    path = tmp_path / "books.beancount"
    write_bytes_atomic(path, b"")

    def append(number: int) -> None:
        with locked(path):
            append_text_atomic(path, f"; line {number}\n")

    threads = [threading.Thread(target=append, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert sorted(lines) == sorted(f"; line {n}" for n in range(20))

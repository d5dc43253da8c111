"""The compiled copy of the regime data: same figures, never stale, never required."""

import errno
import marshal
import shutil
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from beancount_micro.regime import PACKAGED_DATA, RegimeDataError, load_figures
from beancount_micro.regime.cache import cached_figures, copy_path


@pytest.fixture
def data(tmp_path, monkeypatch):
    """A copy of the packaged data where Python may write bytecode."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    path = tmp_path / "regime.toml"
    shutil.copy(PACKAGED_DATA, path)
    return path


def test_the_copy_holds_the_same_figures_as_the_toml_file(data):
    parsed = load_figures(data)
    assert cached_figures(data) == parsed
    assert copy_path(data).is_file()
    # The second read comes from the copy, figure for figure.
    assert cached_figures(data) == parsed
    assert isinstance(parsed[0].value, Decimal)


def test_an_edited_file_is_never_read_from_its_old_copy(data):
    cached_figures(data)
    old_copy = copy_path(data)
    text = data.read_text(encoding="utf-8")
    # The 2026 BNC rate (REGIME.md: 25.6 %) edited to 25.7 %.
    assert 'value = "0.256"' in text
    data.write_text(text.replace('value = "0.256"', 'value = "0.257"'), "utf-8")
    assert copy_path(data) != old_copy
    values = {f.value for f in cached_figures(data) if f.key == "urssaf_rate"}
    assert Decimal("0.257") in values
    assert Decimal("0.256") not in values


def test_a_damaged_copy_means_parsing_the_file_again(data):
    cached_figures(data)
    copy_path(data).write_bytes(b"\x00garbage")
    assert cached_figures(data) == load_figures(data)


def test_nothing_is_written_where_bytecode_is_not(data, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert cached_figures(data) == load_figures(data)
    assert not copy_path(data).exists()


def test_a_bad_file_still_names_its_row(data):
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace('unit = "rate"', 'unit = "ratio"', 1), "utf-8")
    with pytest.raises(RegimeDataError, match=r"regime\.toml:\d+: row \d+ .*'unit'"):
        cached_figures(data)


def test_an_empty_copy_is_not_trusted(data):
    cached_figures(data)
    copy_path(data).write_bytes(marshal.dumps([]))
    assert cached_figures(data) == load_figures(data)
    assert marshal.loads(copy_path(data).read_bytes()) != []


def test_a_new_copy_replaces_the_older_ones(data):
    cached_figures(data)
    old_copy = copy_path(data)
    data.write_text(data.read_text("utf-8") + "\n# edited\n", "utf-8")
    cached_figures(data)
    assert [p.name for p in old_copy.parent.glob("regime.*.marshal")] == [
        copy_path(data).name
    ]


def test_a_read_only_folder_only_means_parsing_again(data, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(Path, "write_bytes", refuse)
    monkeypatch.setattr(Path, "unlink", refuse)
    assert cached_figures(data) == load_figures(data)
    assert not copy_path(data).exists()


def test_the_copy_follows_pycache_prefix(data, monkeypatch, tmp_path):
    prefix = tmp_path / "bytecode"
    monkeypatch.setattr(sys, "pycache_prefix", str(prefix))
    cached_figures(data)
    assert copy_path(data).is_relative_to(prefix)
    assert copy_path(data).is_file()
    assert not (data.parent / "__pycache__").exists()

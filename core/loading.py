"""Load a ledger the way every beancount-micro command does."""

from pathlib import Path

from beancount import loader


def load_fresh(path: str | Path):
    """Load ``path`` with its plugins, without Beancount's pickle cache.

    The cache is keyed on the ledger files only, not on plugin code, so a
    cached load could show the errors of an older version of our plugins; it
    also leaves a ``.picklecache`` file beside the user's ledger.
    """
    return loader._load([(str(Path(path).resolve()), True)], None, None, None)

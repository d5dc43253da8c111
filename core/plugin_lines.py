"""Find beancount-micro plugin lines that Beancount will not run.

Beancount runs only the ``plugin`` lines of the top-level file; one written
in an included file is skipped without a word, and every register built on
it would come out empty. The command line and the Fava extension report
such a line as an error with its file and line.
"""

import re
from pathlib import Path

from beancount.core import data
from beancount_micro.errors import MicroError

PLUGIN_LINE = re.compile(r'^\s*plugin\s+"(beancount_micro\.plugins\.[\w.]+)"')


def misplaced_plugins(options_map: dict) -> list[MicroError]:
    """Errors for beancount-micro plugin lines in included files."""
    top = options_map.get("filename", "")
    errors = []
    for name in options_map.get("include", []):
        if name == top:
            continue
        try:
            lines = Path(name).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for lineno, line in enumerate(lines, 1):
            match = PLUGIN_LINE.match(line)
            if match:
                errors.append(
                    MicroError(
                        data.new_metadata(name, lineno),
                        f'plugin "{match.group(1)}" is in an included file, where '
                        f"Beancount ignores it: move it to {top}",
                        None,
                    )
                )
    return errors

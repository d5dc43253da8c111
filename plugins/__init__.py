"""Beancount plugins that enforce the micro-entrepreneur regime.

Switch them all on with ``plugin "beancount_micro.plugins.micro"`` in the
top-level ledger file, or one at a time with ``registers``, ``thresholds``,
``urssaf``, ``dedicated_account`` or ``invoice_numbers``. Each is pure:
``(entries, options_map, config) -> (entries, errors)``; it adds no entry and
prints nothing.
"""

import gc
import importlib

# Beancount's loader imports a plugin once the whole ledger is parsed and
# booked. Importing the checks then (our modules, python-stdnum, the TOML
# reader) allocates enough objects to set off one more full garbage
# collection over every entry, which costs more than the imports themselves
# (measured: 30 ms on a 10k-transaction ledger, where the imports take 30 ms).
# The modules every check needs are imported here with the collector paused.
_collecting = gc.isenabled()
gc.disable()
try:
    for _module in ("reading", "declarations", "thresholds"):
        importlib.import_module(f"beancount_micro.{_module}")
finally:
    if _collecting:
        gc.enable()

"""Beancount plugins that enforce the micro-entrepreneur regime.

Switch them all on with ``plugin "beancount_micro.plugins.micro"`` in the
top-level ledger file, or one at a time with ``registers``, ``thresholds``,
``urssaf``, ``dedicated_account`` or ``invoice_numbers``. Each is pure:
``(entries, options_map, config) -> (entries, errors)``; it adds no entry and
prints nothing.
"""

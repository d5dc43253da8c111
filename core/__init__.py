"""beancount-micro: Beancount for French micro-entrepreneurs.

The package checks a ledger against the micro-entrepreneur regime (plugins),
derives the registers and URSSAF declarations from it, issues invoices, imports
bank statements and shows all of it in Fava. The ledger conventions it reads
are described in ``docs/CONVENTIONS.md``.
"""

__version__ = "0.1.0"

"""Every beancount-micro check at once, reading the books a single time.

    plugin "beancount_micro.plugins.micro"
    plugin "beancount_micro.plugins.micro" "{'today': '2026-12-04'}"

Runs, in this order: registers, invoice_numbers, urssaf, thresholds,
dedicated_account (see each module).
"""

from beancount_micro.plugins import (
    dedicated_account,
    invoice_numbers,
    registers,
    thresholds,
    urssaf,
)
from beancount_micro.plugins._common import run

__plugins__ = ("micro",)

CHECKS = [
    registers.check,
    invoice_numbers.check,
    urssaf.check,
    thresholds.check,
    dedicated_account.check,
]


def micro(entries, options_map, config=None):
    return run(CHECKS, entries, options_map, config)

"""Identity numbers: the business's SIRET and business clients' SIREN.

Two levels of checking, on purpose:

- While the books are read (so in ``bean-check`` and every plugin), a number
  must have its shape: 14 digits for a SIRET, 9 for a SIREN, spaces allowed.
  A digit missing or a letter typed in is reported there.
- :func:`identity_problems` also checks the Luhn checksum (and La Poste's
  exception) with python-stdnum. ``bean-micro check``, the other
  ``bean-micro`` commands, the Fava extension (errors page and cockpit) and
  invoice issuing run it. The
  plugins do not: importing python-stdnum takes 10 to 20 ms (it loads ssl and
  pydoc), more than every check of the plugins together on a ledger of
  10 000 transactions, and ``bean-check`` runs on every save.
"""

import datetime

from beancount_micro.errors import MicroError, error_at
from beancount_micro.model import Books

SIRET_DIGITS, SIREN_DIGITS = 14, 9
DIGITS = frozenset("0123456789")
# Dots and middle dots written between groups of digits.
SEPARATORS = frozenset(".\u00b7\u2022\u2027\u22c5\u2219\u30fb\uff65\u3002\uff0e")
FULL_WIDTH_DIGITS = str.maketrans(
    "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19", "0123456789"
)


def compact(number: str) -> str:
    """The number without the spaces and dots people write in it.

    Spaces of every kind (no-break and narrow no-break spaces included), dots
    and middle dots are dropped, full-width digits read as digits: what a
    word processor or a web form may have put in a copied number. Any other
    character stays, so that the shape check names it.
    """
    digits = number.translate(FULL_WIDTH_DIGITS)
    return "".join(c for c in digits if not c.isspace() and c not in SEPARATORS)


def shape_problem(number: str, digits: int) -> str | None:
    """What is wrong with the shape of a SIRET (14) or SIREN (9), if anything."""
    for position, character in enumerate(number, start=1):
        if character not in DIGITS:
            return (
                f"expected {digits} digits, found {character!r} at position {position}"
            )
    if len(number) != digits:
        return f"expected {digits} digits, found {len(number)}"
    return None


def identity_problems(books: Books) -> list[MicroError]:
    """Checksum errors of the SIRET and SIREN numbers (python-stdnum).

    Numbers of the wrong shape are left out: reading the books reported them.
    """
    cached = books.cache.get("identity")
    if cached is not None:
        return cached
    from stdnum.fr import siren, siret

    # (where, what, python-stdnum module, number, digits) of every number.
    numbers = []
    business = books.business
    if business:
        label = f"business SIRET {business.siret!r}"
        numbers.append((business.meta, label, siret, business.siret, SIRET_DIGITS))
    for client in books.clients.values():
        if client.siren:
            label = f"client {client.account}: SIREN {client.siren!r}"
            numbers.append((client.meta, label, siren, client.siren, SIREN_DIGITS))
    problems = []
    for meta, label, kind, number, digits in numbers:
        if shape_problem(number, digits):
            continue
        fault = _checksum_fault(kind, number)
        if fault:
            problems.append(
                error_at(meta, f"{label} is invalid ({fault}): its Luhn checksum fails")
            )
    books.cache["identity"] = problems
    return problems


def _checksum_fault(kind, number: str) -> str | None:
    """What python-stdnum's ``kind`` (siret or siren) finds wrong, if anything."""
    from stdnum.exceptions import ValidationError

    try:
        kind.validate(number)
    except ValidationError as exc:
        return str(exc)
    return None


def check(books: Books, today: datetime.date) -> list[MicroError]:
    """:func:`identity_problems` with the signature of the plugins' checks."""
    return identity_problems(books)

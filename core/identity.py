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
import unicodedata

from beancount_micro.errors import MicroError, error_at
from beancount_micro.model import Books

SIRET_DIGITS, SIREN_DIGITS = 14, 9
DIGITS = frozenset("0123456789")


def compact(number: str) -> str:
    """The number without the spaces and dots people write in it.

    Unicode forms are folded first (NFKC), so a no-break space, a narrow
    no-break space or full-width digits read as python-stdnum reads them.
    """
    folded = unicodedata.normalize("NFKC", number)
    return "".join(folded.split()).replace(".", "").replace("\u00b7", "")


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
    from stdnum.exceptions import ValidationError
    from stdnum.fr import siren, siret

    problems = []
    business = books.business
    if business and not shape_problem(business.siret, SIRET_DIGITS):
        try:
            siret.validate(business.siret)
        except ValidationError as exc:
            problems.append(
                error_at(
                    business.meta,
                    f"business SIRET {business.siret!r} is invalid ({exc}): its "
                    "Luhn checksum fails; copy it again from the INSEE notice",
                )
            )
    for client in books.clients.values():
        if client.siren and not shape_problem(client.siren, SIREN_DIGITS):
            try:
                siren.validate(client.siren)
            except ValidationError as exc:
                problems.append(
                    error_at(
                        client.meta,
                        f"client {client.account}: SIREN {client.siren!r} is "
                        f"invalid ({exc}): its Luhn checksum fails",
                    )
                )
    books.cache["identity"] = problems
    return problems


def check(books: Books, today: datetime.date) -> list[MicroError]:
    """:func:`identity_problems` with the signature of the plugins' checks."""
    return identity_problems(books)

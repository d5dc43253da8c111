"""Small ledgers shared by the plugin tests (a BNC business started 2025-03-10)."""

HEADER = """
option "operating_currency" "EUR"
plugin "beancount_micro.plugins.{plugin}" "{{'today': '{today}'}}"

2025-03-10 custom "micro" "business"
  name: "Camille Durand"
  siret: "73282932000074"
  address: "12 rue des Lilas, 69003 Lyon"
  categories: "bnc_ssi"
  periodicity: "quarterly"
  acre: TRUE

2025-03-10 open Assets:Banque:Pro EUR
  bank: "Banque Exemple"
  dedicated: TRUE
2025-03-10 open Assets:Banque:Perso EUR
  bank: "Banque Perso"
2025-03-10 open Income:CM EUR
  category: "bnc_ssi"
2025-03-10 open Expenses:Logiciels EUR
2025-03-10 open Expenses:Urssaf EUR
  purchase: FALSE
2025-03-10 open Assets:Clients:Acme EUR
  client: "Acme SAS"
  client-type: "business"
  siren: "732829320"
2025-03-10 open Assets:Clients:Martin EUR
  client: "Paul Martin"
  client-type: "individual"
"""


def ledger(body: str, plugin: str = "micro", today: str = "2026-12-04") -> str:
    """The shared header followed by ``body``."""
    return HEADER.format(plugin=plugin, today=today) + body


def invoice(day: str, number: str, amount: str, client: str = "Acme") -> str:
    """An invoice entry following the conventions."""
    return f"""
{day} * "Client" "Animation réseaux sociaux" ^{number}
  invoice: "{number}"
  due: {day}
  Assets:Clients:{client}   {amount} EUR
  Income:CM
"""


def payment(day: str, number: str, amount: str, means: str = "virement") -> str:
    """A payment of one invoice, cashed on ``day``."""
    return f"""
{day} * "ACME" "Règlement {number}" ^{number}
  means: "{means}"
  Assets:Banque:Pro   {amount} EUR
  Assets:Clients:Acme
"""

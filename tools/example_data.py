"""The story told by ``ledger.example.beancount``, as tables.

Read by ``tools/make_example.py``. Every person and company here is invented;
their SIREN, SIRET and IBAN are drawn from a seed by the generator. Tables
are pipe-separated text so that they stay one row per line, however wide.
"""

# ruff: noqa: E501

from decimal import Decimal

# The ACRE window granted to this business (start 2025-03-10, Q1): to the
# end of the third quarter after the quarter of start (REGIME.md §2.4).
ACRE_UNTIL = "2025-12-31"

# French public holidays on weekdays, 2025-2026.
PUBLIC_HOLIDAYS = """
2025-04-21 2025-05-01 2025-05-08 2025-05-29 2025-06-09 2025-07-14 2025-08-15
2025-11-11 2025-12-25 2026-01-01 2026-04-06 2026-05-01 2026-05-08 2026-05-14
2026-05-25 2026-07-14 2026-11-11
"""

# leaf | opened | type | name | address | email | payer names (bank) | VAT no.
CLIENTS = """
Quatre-Vents      | 2025-04-01 | business   | Brasserie des Quatre Vents SARL | 17 quai Saint-Cast, 35400 Saint-Malo | contact@brasserie-quatrevents.example | BRASSERIE DES QUATRE VENTS, SARL QUATRE VENTS | no
Atelier-Lumen     | 2025-04-07 | business   | Atelier Lumen SAS | 5 rue de Dinan, 35000 Rennes | compta@atelier-lumen.example | ATELIER LUMEN SAS, ATELIER LUMEN | yes
Jardins-Orzac     | 2025-05-12 | business   | Les Jardins d'Orzac SAS | Lieu-dit La Croix Orzac, 35520 Melesse | direction@jardins-orzac.example | LES JARDINS D ORZAC, JARDINS D ORZAC SAS | no
Patisserie-Morvan | 2025-06-02 | business   | Pâtisserie Morvan EURL | 42 rue Saint-Georges, 35000 Rennes | bonjour@patisserie-morvan.example | PATISSERIE MORVAN, EURL MORVAN | no
Studio-Kerlann    | 2025-06-16 | business   | Studio Kerlann SAS | 9 boulevard de la Liberté, 35000 Rennes | hello@studio-kerlann.example | STUDIO KERLANN | no
Cave-Saint-Helier | 2025-09-01 | business   | Cave Saint-Hélier SARL | 88 rue Saint-Hélier, 35000 Rennes | cave.sainthelier@mail.example | CAVE SAINT HELIER | no
Terres-Ille       | 2025-11-03 | business   | Coopérative Terres d'Ille SCIC | 2 rue des Landelles, 35510 Cesson-Sévigné | administration@terres-ille.example | SCIC TERRES D ILLE, COOP TERRES D ILLE | yes
Garnier-Helene    | 2025-03-24 | individual | Hélène Garnier | 6 impasse des Genêts, 35830 Betton | helene.garnier@mail.example | | no
Le-Bihan-Thomas   | 2025-07-09 | individual | Thomas Le Bihan | 21 rue Jules Ferry, 35700 Rennes | t.lebihan@mail.example | | no
Caradec-Sophie    | 2025-12-10 | individual | Sophie Caradec | 3 allée Marie Curie, 35136 Saint-Jacques-de-la-Lande | sophie.caradec@mail.example | | no
"""

# Monthly community management, invoiced on the first working day of the
# next month. client | first month | last month | price 2025 | price 2026 |
# payment means | days to pay, in turn | months left unpaid
RETAINERS = """
Quatre-Vents      | 2025-04 | 2026-10 |  800.00 |  800.00 | virement | 14 11 16 13    |
Atelier-Lumen     | 2025-06 | 2026-10 |  950.00 | 1000.00 | virement | 30 33 29 31 35 |
Cave-Saint-Helier | 2025-09 | 2026-09 |  480.00 |  480.00 | cheque   | 16 12 19       | 2026-08 2026-09
Terres-Ille       | 2026-02 | 2026-10 |       - | 1000.00 | virement | 18 21 15       |
"""

# Other work. label | date | client | income (cm, content, training) |
# amount | kind | project (a trailing # also tags it) | refers to | text.
# "<label>" in a text becomes that invoice's number.
ONE_OFFS = """
atelier-1         | 2025-03-24 | Garnier-Helene    | training |  160.00 |             |                         |                       | Atelier individuel : bien démarrer sur Instagram (2 h)
lumen-audit       | 2025-04-15 | Atelier-Lumen     | cm       | 1400.00 |             | lumen-audit             |                       | Audit des réseaux sociaux et recommandations
orzac-photos      | 2025-05-20 | Jardins-Orzac     | content  | 1580.00 |             |                         |                       | Reportage photo et 12 visuels de printemps
morvan-pack       | 2025-06-10 | Patisserie-Morvan | content  | 1180.00 |             |                         |                       | Création de contenus : 20 visuels et 6 vidéos courtes
kerlann-formation | 2025-06-26 | Studio-Kerlann    | training |  650.00 |             |                         |                       | Formation : animer une communauté Instagram (1 jour)
lebihan-coaching  | 2025-07-10 | Le-Bihan-Thomas   | training |  240.00 |             |                         |                       | Coaching LinkedIn, 2 séances d'1 h 30
lumen-automne     | 2025-08-29 | Atelier-Lumen     | content  | 1100.00 |             | lumen-automne#          |                       | Stratégie et contenus de lancement, collection automne
kerlann-atelier   | 2025-09-09 | Studio-Kerlann    | training |  308.75 |             |                         |                       | Atelier stratégie de contenu, 3 h 15 à 95,00 € de l'heure
garnier-suivi     | 2025-09-12 | Garnier-Helene    | training |  120.00 |             |                         |                       | Atelier individuel : suivi Instagram (1 h 30)
qv-rentree        | 2025-09-15 | Quatre-Vents      | content  |  900.00 |             | qv-rentree              |                       | Campagne de rentrée : shooting et calendrier éditorial
orzac-reels       | 2025-10-20 | Jardins-Orzac     | content  |  980.00 |             |                         |                       | Vidéos d'automne : 4 reels montés et sous-titrés
morvan-noel       | 2025-11-14 | Patisserie-Morvan | content  | 1250.00 |             | morvan-noel#            |                       | Campagne de Noël : 15 visuels et 5 reels
ti-formation      | 2025-11-20 | Terres-Ille       | training | 1600.00 |             |                         |                       | Formation de l'équipe aux réseaux sociaux (2 jours)
morvan-jeu        | 2025-12-05 | Patisserie-Morvan | cm       |  390.00 |             | morvan-noel#            |                       | Jeu-concours de Noël : animation et modération
caradec-portrait  | 2025-12-12 | Caradec-Sophie    | content  |  280.00 |             |                         |                       | Séance photo portrait et sélection de 10 images
orzac-acompte     | 2026-01-22 | Jardins-Orzac     | content  |  960.00 | deposit     | orzac-printemps-2026#   |                       | Acompte de 30 % sur le devis D-2026-0001, lancement de printemps
kerlann-cycle     | 2026-03-06 | Studio-Kerlann    | training | 1800.00 |             | kerlann-formation-2026  |                       | Cycle de formation : 3 ateliers réseaux sociaux pour l'équipe
orzac-solde       | 2026-04-10 | Jardins-Orzac     | content  | 2240.00 | final       | orzac-printemps-2026#   | orzac-acompte         | Lancement de printemps : 30 visuels, 8 reels, 2 newsletters ; solde après acompte <orzac-acompte>
garnier-2026      | 2026-05-19 | Garnier-Helene    | training |  148.75 |             |                         |                       | Atelier individuel : saison des marchés, 1 h 45 à 85,00 €
lumen-avoir       | 2026-06-12 | Atelier-Lumen     | cm       | -200.00 | credit-note |                         | Atelier-Lumen-2026-05 | Avoir sur <Atelier-Lumen-2026-05> : une semaine de campagne non réalisée
lebihan-2026      | 2026-06-23 | Le-Bihan-Thomas   | training |  240.00 |             |                         |                       | Coaching LinkedIn, 2 séances d'1 h 30
orzac-ete         | 2026-07-08 | Jardins-Orzac     | content  | 1150.00 |             |                         |                       | Visuels et reels pour la fête des plantes d'été
caradec-site      | 2026-10-14 | Caradec-Sophie    | content  |  450.00 |             |                         |                       | Shooting et 15 visuels pour le lancement de son site
"""

# Payments of the one-offs: date | means | label amount[, label amount].
ONE_OFF_PAYMENTS = """
2025-03-24 | cheque   | atelier-1 160.00
2025-05-12 | virement | lumen-audit 1400.00
2025-06-18 | virement | orzac-photos 1580.00
2025-07-08 | cheque   | morvan-pack 1180.00
2025-07-10 | carte    | lebihan-coaching 240.00
2025-07-21 | virement | kerlann-formation 650.00
2025-09-12 | cheque   | garnier-suivi 120.00
2025-09-26 | virement | lumen-automne 1100.00
2025-09-30 | virement | kerlann-atelier 308.75
2025-10-01 | virement | qv-rentree 900.00
2025-11-25 | virement | orzac-reels 980.00
2025-12-12 | cheque   | caradec-portrait 280.00
2025-12-18 | virement | ti-formation 1600.00
2026-01-09 | virement | morvan-noel 1250.00, morvan-jeu 390.00
2026-02-02 | virement | orzac-acompte 960.00
2026-03-25 | virement | kerlann-cycle 900.00
2026-04-28 | virement | kerlann-cycle 900.00
2026-05-06 | virement | orzac-solde 2240.00
2026-05-19 | carte    | garnier-2026 148.75
2026-06-23 | cheque   | lebihan-2026 240.00
2026-08-05 | virement | orzac-ete 1150.00
"""

# A retainer payment that differs from its invoice: label | amount paid.
# The May 2026 Lumen invoice is paid net of its credit note.
NET_PAYMENTS = {"Atelier-Lumen-2026-05": Decimal("800.00")}

# Declarations filed: period | day filed | day debited. 2025-Q4 is missing
# on purpose (the planted forgotten declaration, due 2026-01-31).
DECLARATIONS = """
2025-Q1+2025-Q2 | 2025-07-24 | 2025-07-28
2025-Q3         | 2025-10-27 | 2025-10-29
2026-Q1         | 2026-04-24 | 2026-04-28
2026-Q2         | 2026-07-27 | 2026-07-29
2026-Q3         | 2026-10-26 | 2026-10-28
"""

# number | client | amount | date | stage | valid until | project | later stages
QUOTES = """
D-2025-0001 | Atelier-Lumen     | 1400.00 | 2025-04-08 | sent  | 2025-05-08 | lumen-audit                | 2025-04-11 accepted, 2025-04-15 invoiced
D-2025-0002 | Atelier-Lumen     | 1100.00 | 2025-08-04 | sent  | 2025-09-03 | lumen-automne              | 2025-08-08 accepted, 2025-08-29 invoiced
D-2025-0003 | Terres-Ille       | 1600.00 | 2025-10-29 | sent  | 2025-11-28 |                            | 2025-11-05 accepted, 2025-11-20 invoiced
D-2025-0004 | Patisserie-Morvan | 1250.00 | 2025-11-03 | sent  | 2025-12-03 | morvan-noel                | 2025-11-06 accepted, 2025-11-14 invoiced
D-2026-0001 | Jardins-Orzac     | 3200.00 | 2026-01-12 | sent  | 2026-02-11 | orzac-printemps-2026       | 2026-01-20 accepted, 2026-04-10 invoiced
D-2026-0002 | Studio-Kerlann    | 1800.00 | 2026-02-16 | sent  | 2026-03-18 | kerlann-formation-2026     | 2026-02-23 accepted, 2026-03-06 invoiced
D-2026-0003 | Patisserie-Morvan |  980.00 | 2026-03-09 | sent  | 2026-04-08 | morvan-paques              | 2026-03-20 refused
D-2026-0004 | Quatre-Vents      | 2400.00 | 2026-11-16 | sent  | 2026-12-16 | qv-ligne-2027              |
D-2026-0005 | Terres-Ille       | 1500.00 | 2026-11-27 | draft | 2026-12-27 | terres-ille-printemps-2027 |
"""

# date | client | hours | project | note
TIME = """
2026-01-28 | Jardins-Orzac  | 4.0 | orzac-printemps-2026   | Atelier de cadrage et planning éditorial
2026-02-17 | Jardins-Orzac  | 6.5 | orzac-printemps-2026   | Shooting en pépinière
2026-03-11 | Jardins-Orzac  | 5.0 | orzac-printemps-2026   | Montage des reels
2026-03-13 | Studio-Kerlann | 3.0 | kerlann-formation-2026 | Atelier 1 : ligne éditoriale
2026-04-02 | Studio-Kerlann | 3.0 | kerlann-formation-2026 | Atelier 2 : formats vidéo courts
2026-11-23 | Quatre-Vents   | 2.5 | qv-ligne-2027          | Préparation du devis ligne éditoriale 2027
"""

# date | invoice label | level
REMINDERS = """
2026-10-13 | Cave-Saint-Helier-2026-08 | 1
2026-11-04 | caradec-site              | 1
2026-11-12 | Cave-Saint-Helier-2026-08 | 2
2026-11-12 | Cave-Saint-Helier-2026-09 | 1
"""

# Purchases once: date | supplier | text | account | amount | means | voucher
PURCHASES = """
2025-03-14 | LDLC               | Ordinateur portable 14 pouces, 16 Go     | Expenses:Materiel   | 1349.00 | carte | documents/achats/2025-03-14-ldlc.pdf
2025-09-22 | Social Ads Academy | Formation en ligne : publicité Meta Ads | Expenses:Formation  |  290.00 | carte | documents/achats/2025-09-22-social-ads-academy.pdf
2026-02-11 | LDLC               | Disque SSD externe 1 To                 | Expenses:Materiel   |   94.90 | carte | documents/achats/2026-02-11-ldlc.pdf
"""

# Monthly purchases: day | first month | supplier | text | account |
# amount 2025 | amount 2026 | means. A debit day moves to a working day.
SUBSCRIPTIONS = """
12 | 2025-03 | Canva       | Abonnement Canva Pro          | Expenses:Logiciels       | 11.99 | 11.99 | carte
 3 | 2025-04 | Adobe       | Creative Cloud Photographie   | Expenses:Logiciels       | 13.99 | 14.99 | carte
 6 | 2025-05 | Metricool   | Abonnement Metricool Starter  | Expenses:Logiciels       | 22.00 | 22.00 | carte
 4 | 2025-04 | Free Mobile | Forfait mobile                | Expenses:Telecom         | 19.99 | 19.99 | prelevement
28 | 2025-03 | Banque Azur | Frais de tenue de compte      | Expenses:Frais-Bancaires |  7.50 |  7.50 | prelevement
"""


def rows(table: str) -> list[list[str]]:
    """Split a pipe-separated table into stripped cells, one list per row."""
    return [
        [cell.strip() for cell in line.split("|")]
        for line in table.strip().splitlines()
    ]

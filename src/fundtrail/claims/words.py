"""The words that signal a relation between figures, in French and English.

Each pattern is one vocabulary: what announces a total, own revenue, public money, a share,
a growth rate and its direction, a comparison, a target. Kept together so that a new
phrasing is added in one place.
"""

from __future__ import annotations

import re

BULLETS = " \t\u00a0\u202f•·*‣◦–—-:"

TOTAL = re.compile(r"\btotal\b", re.I)
SUBTOTAL = re.compile(r"\bsous[- ]?total|\bsub[- ]?total", re.I)

OWN_REVENUE = re.compile(
    r"chiffre d.affaires|\bventes?\b|recettes propres|ressources propres|autofinancement"
    r"|fonds propres|prestations|own (?:revenue|income)|\bsales\b|earned income|\bfees\b"
    r"|self.financ",
    re.I,
)

PUBLIC = re.compile(
    r"financements? publics?|fonds publics|subventions? publiques|argent public|aides? publiques"
    r"|public (?:funding|money|grants?|funds|support)",
    re.I,
)

SHARE_GAP = re.compile(
    r"^\s*[(,]?\s*(?:soit|i\.\s?e\.|or|that is|représentant|représente|equal to|about|environ)?"
    r"\s*$",
    re.I,
)

FROM = re.compile(r"(?:\bde|\bd['’]|\bfrom|\()\s*$", re.I)

TO = re.compile(r"^\s*(?:à|a|to|jusqu['’]à)\s*$", re.I)

DOWN = re.compile(
    r"baiss|diminu|recul|chut|décr|decreas|fell|fall|drop|declin|down|lower|cut", re.I
)

GROWTH_WORD = re.compile(
    r"hausse|progress|augment|croissance|baisse|diminu|recul|grimp|bond|chut"
    r"|increas|\brise|\brose|\bgrew|growth|\bup\b|jump|climb|soar|gain"
    r"|decreas|\bfall|\bfell|\bdown\b|drop|declin|slump",
    re.I,
)

GROWTH_GAP_END = re.compile(r"(?:\bde|\bof|\bby|\bsoit|\(|,|:)\s*$", re.I)

GROWTH_VERB = re.compile(
    r"(?:progress[ée]|augment[ée]|cr[uû]|grimp[ée]|bondi|baiss[ée]|diminu[ée]|recul[ée]"
    r"|chut[ée]|hausse|progression|augmentation|croissance|baisse|diminution|recul)\s+de\s*$"
    r"|(?:increased|grown|grew|rose|risen|jumped|climbed|decreased|fell|fallen|dropped"
    r"|declined)\s+by\s*$|(?:increase|growth|rise|decrease|fall|drop|decline)\s+of\s*$"
    r"|\b(?:up|down)(?:\s+by)?\s*$",
    re.I,
)

BUDGET = re.compile(r"\bbudget|\btotal|\bressources|\brevenue|\bincome\b", re.I)

PERIOD = re.compile(
    r"\b(?:en|sur|in|over)\s+(?:(?:the\s+)?(?:last|past|dernières?|derniers)\s+)?"
    r"(\w+)\s+(ans|années|years|mois|months)\b",
    re.I,
)

TARGET = re.compile(r"\bobjectifs?\b|\bcibles?\b|\btargets?\b|\bgoals?\b|\baims?\b", re.I)

WHOLE_GAP = re.compile(r"^[^.;:!?\d]{0,60}$")

WHOLE_WORD = re.compile(r"\b(?:total|budget|de|du|des|of|sur|out of)\b", re.I)

NAMED_WHOLE = re.compile(r"\s*(?:du|de l['’]ensemble du|of the|of|of its)\s+(budget|total)\b", re.I)

AMOUNT_THEN_RATE = re.compile(r"^[^\d.;:!?]{0,40}$")

COMPARED = re.compile(
    r"\b(?:contre|par rapport (?:à|au|aux)|comparé (?:à|au)|après|from|against|compared (?:with|to)"
    r"|versus|vs)\b",
    re.I,
)

# '60 % à la signature, soit 30 000 €': the words between a share and the part it gives.
PART_AFTER = re.compile(
    r"^[^\d.;:!?]{0,40}?,?\s*(?:soit|i\.\s?e\.|that is|or|représentant)\s*$", re.I
)

# What ends a list of targets and turns to what was done.
TARGET_END = re.compile(
    r"\b(?:contre|against|versus|vs|compared|alors que|tandis que|while|whereas|but|mais"
    r"|claims?|annonce|réalis\w*|achieved|delivered)\b",
    re.I,
)
# Between counts of one enumeration: '200, 150 and 50 firms', '200, 150 et 50 entreprises'.
ENUMERATION_GAP = re.compile(r"^\s*(?:,|;|\bet\b|\band\b|\bor\b|\bou\b|,\s*(?:and|et))\s*$", re.I)

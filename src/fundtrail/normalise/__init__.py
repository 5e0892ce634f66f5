"""Value parsers: one published cell -> Outcome(value, repairs, issues), pure and total.

Each parser takes the text of one cell and never raises on bad data; blank text gives
``Outcome(None)``. Each value type has a canonical text (``amount_text``, ``period_text``,
...) that parses back to the same value with no repair.
"""

from fundtrail.normalise.amounts import amount_text, parse_amount
from fundtrail.normalise.booleans import bool_text, parse_bool
from fundtrail.normalise.dates import PartialDate, Period, parse_date, parse_period, period_text
from fundtrail.normalise.identifiers import (
    OrgId,
    is_valid_siren,
    is_valid_siret,
    org_id_text,
    parse_org_id,
    parse_rna,
)
from fundtrail.normalise.nature import nature_text, parse_nature
from fundtrail.normalise.shares import parse_share, share_convention, share_text, to_fraction
from fundtrail.normalise.text import clean_text

__all__ = [
    "OrgId",
    "PartialDate",
    "Period",
    "amount_text",
    "bool_text",
    "clean_text",
    "is_valid_siren",
    "is_valid_siret",
    "nature_text",
    "org_id_text",
    "parse_amount",
    "parse_bool",
    "parse_date",
    "parse_nature",
    "parse_org_id",
    "parse_period",
    "parse_rna",
    "parse_share",
    "period_text",
    "share_convention",
    "share_text",
    "to_fraction",
]

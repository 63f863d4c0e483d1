"""The canonical content of an agreement version, and its SHA-256.

Canonical: the terms as plain JSON with sorted keys and fixed separators, so the same
terms always give the same bytes and the same hash. Review dates and status are not terms
(they change without anyone re-signing); everything a party agrees to is.
"""

import hashlib
import json
from typing import Any

from agreements import lawful_bases
from agreements.models import Agreement

_TERMS = (
    "title",
    "reference",
    "tier",
    "purposes",
    "benefits",
    "data_subjects",
    "data_items",
    "special_category",
    "criminal_offence_data",
    "security",
    "transfer",
    "retention_period_days",
    "disposal_method",
    "review_frequency_months",
    "signatory_statement",
)
_PARTY_TERMS = ("duties", "breach_contact", "article10", "part3", "basis_notes")


def canonical_content(agreement: Agreement) -> dict[str, Any]:
    content: dict[str, Any] = {name: getattr(agreement, name) for name in _TERMS}
    content["version"] = agreement.version_label
    content["parent"] = agreement.parent.reference if agreement.parent is not None else None
    content["lead_agency"] = (
        agreement.lead_agency.code if agreement.lead_agency is not None else None
    )
    content["legislation"] = sorted(agreement.legislation.values_list("code", flat=True))
    content["parties"] = [
        {
            "agency": party.agency.code,
            "organisation": party.agency.name,
            **{name: getattr(party, name) for name in _PARTY_TERMS},
            **{name: sorted(getattr(party, name)) for name in lawful_bases.VOCABULARIES},
        }
        for party in agreement.party_rows.select_related("agency").order_by("agency__code")
    ]
    return content


def content_hash(content: dict[str, Any]) -> str:
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()

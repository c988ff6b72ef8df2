"""The domain of Corroborate: entities, vocabularies, fuzzy dates, places and pure rules.

Imports nothing from the other layers (no SQLAlchemy, FastAPI or Typer).
"""

from .attributes import NumberRange, coerce_attribute, parse_range
from .countries import country_code, country_name
from .datafile import duplicate_keys, read_data_file, validate_data
from .descriptor import AgeBand, Gender, PublicDescriptor, parse_age
from .entities import (
    CASEFILE_VERSION,
    AddresseeKind,
    AttributeSpec,
    AttributeType,
    AttributeValue,
    Case,
    CaseInfo,
    Claim,
    Consent,
    Document,
    DocumentKind,
    Excerpt,
    ExcerptMode,
    FuzzyDate,
    Interview,
    Proposition,
    PropositionKind,
    Recommendation,
    RecommendationStatus,
    RestrictedIdentity,
    Stance,
    StatusChange,
    Witness,
)
from .fuzzydate import DateInterval, date_interval, hull, is_edtf, normalise_fuzzy_date, overlaps, phrase_to_edtf
from .gazetteer import Gazetteer, Place, normalise_place_name
from .integrity import ID_FIELDS, CaseProblem, case_problems, duplicate_ids, normalise_case
from .progress import Progress, Tick, no_progress

__all__ = [
    "Progress",
    "Tick",
    "no_progress",
    "AddresseeKind",
    "CASEFILE_VERSION",
    "ID_FIELDS",
    "AgeBand",
    "AttributeSpec",
    "AttributeType",
    "AttributeValue",
    "Case",
    "CaseInfo",
    "CaseProblem",
    "Claim",
    "Consent",
    "DateInterval",
    "Document",
    "DocumentKind",
    "Excerpt",
    "ExcerptMode",
    "FuzzyDate",
    "Gazetteer",
    "Gender",
    "Interview",
    "NumberRange",
    "Place",
    "Proposition",
    "PublicDescriptor",
    "Recommendation",
    "RecommendationStatus",
    "StatusChange",
    "RestrictedIdentity",
    "PropositionKind",
    "Stance",
    "Witness",
    "case_problems",
    "coerce_attribute",
    "country_code",
    "country_name",
    "date_interval",
    "hull",
    "duplicate_ids",
    "is_edtf",
    "normalise_case",
    "normalise_fuzzy_date",
    "normalise_place_name",
    "overlaps",
    "parse_age",
    "parse_range",
    "phrase_to_edtf",
    "duplicate_keys",
    "read_data_file",
    "validate_data",
]

"""Record linkage of organisations' person lists (issue 14): Korean-aware name features and synthetic populations.

``names`` turns a Korean name in Hangul, McCune-Reischauer, Revised Romanization or an ad hoc
spelling into comparable features (``hangul`` romanises Hangul), and ``features`` adds the place of
origin (through the gazetteer), the birth years a record allows and the sex; ``population`` generates
border-crosser populations and the lists that saw them (``recording`` writes a person as a
list would), with the truth kept, for tests, the demo and benchmarks; ``clk`` encodes a record into a
keyed Bloom filter for linkage without sharing names (docs/linkage.md); ``model`` links lists with
Splink 5 on DuckDB (import it from ``corroborate.stats.linkage.model``: Splink, DuckDB and pyarrow are
loaded only by who links, not by every command that starts).
Pure computation on values passed in: never reads a store, never logs a name.
"""

from .clk import BITS, ClkField, ClkSchema, decode_clk, dice, encode_clk, encoded_text
from .features import (
    PersonFeatures,
    PlaceFeatures,
    birth_years,
    person_features,
    place_features,
    sex_code,
    years_apart,
)
from .hangul import Romanisation, has_hangul, romanise_hangul, romanise_syllables
from .names import (
    FAMILY_NAMES,
    NameFeatures,
    NameParts,
    canonical,
    family_name,
    name_features,
    phonetic_key,
    split_name,
)
from .population import (
    CaptureHistories,
    Dependence,
    ListSpec,
    Person,
    Population,
    Record,
    capture_histories,
    default_lists,
    simulate,
)
from .recording import STYLES, Noise, Style

__all__ = [
    "BITS",
    "FAMILY_NAMES",
    "STYLES",
    "CaptureHistories",
    "ClkField",
    "ClkSchema",
    "Dependence",
    "ListSpec",
    "NameFeatures",
    "NameParts",
    "Noise",
    "Person",
    "PersonFeatures",
    "PlaceFeatures",
    "Population",
    "Record",
    "Romanisation",
    "Style",
    "birth_years",
    "canonical",
    "capture_histories",
    "decode_clk",
    "default_lists",
    "dice",
    "encode_clk",
    "encoded_text",
    "family_name",
    "has_hangul",
    "name_features",
    "person_features",
    "phonetic_key",
    "place_features",
    "romanise_hangul",
    "romanise_syllables",
    "sex_code",
    "simulate",
    "split_name",
    "years_apart",
]

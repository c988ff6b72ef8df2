"""Record linkage of organisations' person lists (issue 14): Korean-aware name features and synthetic populations.

``names`` turns a Korean name in Hangul, McCune-Reischauer, Revised Romanization or an ad hoc
spelling into comparable features (``hangul`` romanises Hangul), and ``features`` adds the place of
origin (through the gazetteer), the birth years a record allows and the sex; ``population`` generates
border-crosser populations and the lists that saw them (``recording`` writes a person as a
list would), with the truth kept, for tests, the demo and benchmarks; ``clk`` encodes a record into a
keyed Bloom filter for linkage without sharing names (docs/linkage.md), and ``encoded`` encodes a record's
features that way and links lists on the encodings only (import it from
``corroborate.stats.linkage.encoded``: NumPy loads only there); ``model`` links lists with
Splink 5 on DuckDB (import it from ``corroborate.stats.linkage.model``: Splink, DuckDB and pyarrow are
loaded only by who links, not by every command that starts). What a linkage gives is told by
``overlaps`` (how many people each combination of lists holds), ``charts`` (SVG charts of the overlaps
and the match weights), ``explanation`` (why a pair scored what it did: the terms of Splink's waterfall),
``clustering`` (connected components, or best links when lists are duplicate-free) and ``splink_charts``
(Splink's own charts as offline HTML; imports Splink).
Pure computation on values passed in: never reads a store, never logs a name.
"""

from .charts import overlap_svg, weight_histogram_svg
from .clk import BITS, ClkField, ClkSchema, decode_clk, dice, encode_clk, encoded_text
from .explanation import Level, ModelWeights, explanations_csv
from .features import (
    PersonFeatures,
    PlaceFeatures,
    birth_years,
    event_days,
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
from .overlaps import Overlap, list_overlaps, overlaps_csv
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
    "Level",
    "ListSpec",
    "ModelWeights",
    "NameFeatures",
    "NameParts",
    "Noise",
    "Overlap",
    "Person",
    "PersonFeatures",
    "PlaceFeatures",
    "Population",
    "Record",
    "Romanisation",
    "Style",
    "birth_years",
    "event_days",
    "canonical",
    "capture_histories",
    "decode_clk",
    "default_lists",
    "dice",
    "encode_clk",
    "encoded_text",
    "explanations_csv",
    "family_name",
    "has_hangul",
    "list_overlaps",
    "name_features",
    "overlap_svg",
    "overlaps_csv",
    "person_features",
    "phonetic_key",
    "place_features",
    "romanise_hangul",
    "romanise_syllables",
    "sex_code",
    "simulate",
    "split_name",
    "weight_histogram_svg",
    "years_apart",
]

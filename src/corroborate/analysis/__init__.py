"""Analysis: corroboration grades, contradictions, timeline, law, coding suggestions.

Pure functions over domain objects; never reads a store, never sees restricted fields.
"""

from .coding import MatchedSpan, Suggestion, suggest
from .consistency import AttributeFinding, compare_attribute
from .corroboration import Assessment, CaseAssessment, ClaimRecord, assess, assess_case, assess_claims
from .law import LawFinding, check_law, conduct_period, format_period
from .lawbook import LawBook
from .lawfile import BindingStatus
from .occurrences import Occurrence, OccurrenceSuggestion, PatternSpan, pattern_spans, suggest_occurrences
from .sources import ExcerptSource, SideSummary, SourceIndex, SourceTemplate
from .standard import Evidence, GradeRule, Rule, Standard, load_standard
from .thesaurus import Thesaurus
from .timeline import TimelineEntry, build_timeline

__all__ = [
    "Assessment",
    "BindingStatus",
    "AttributeFinding",
    "CaseAssessment",
    "ClaimRecord",
    "Evidence",
    "ExcerptSource",
    "GradeRule",
    "LawBook",
    "LawFinding",
    "MatchedSpan",
    "Occurrence",
    "OccurrenceSuggestion",
    "PatternSpan",
    "Rule",
    "SideSummary",
    "SourceIndex",
    "SourceTemplate",
    "Standard",
    "Suggestion",
    "Thesaurus",
    "TimelineEntry",
    "assess",
    "assess_case",
    "assess_claims",
    "build_timeline",
    "check_law",
    "conduct_period",
    "compare_attribute",
    "format_period",
    "load_standard",
    "pattern_spans",
    "suggest",
    "suggest_occurrences",
]

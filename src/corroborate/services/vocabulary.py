"""The closed lists a user chooses from, taken from the domain's own types so they are written once."""

from __future__ import annotations

from typing import get_args

from corroborate.domain import ExcerptMode, Gender, RecommendationStatus, Stance

__all__ = ["EXCERPT_MODES", "GENDERS", "RECOMMENDATION_STATUSES", "STANCES"]

GENDERS: tuple[str, ...] = get_args(Gender)
STANCES: tuple[str, ...] = get_args(Stance)
EXCERPT_MODES: tuple[str, ...] = get_args(ExcerptMode)
RECOMMENDATION_STATUSES: tuple[str, ...] = get_args(RecommendationStatus)

import pytest
from pydantic import ValidationError

from corroborate.domain import AgeBand, PublicDescriptor, parse_age
from corroborate.errors import InvalidAge


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("32", 32, 32),
        ("age 32", 32, 32),
        (59, 59, 59),
        ("in her fifties", 50, 59),
        ("in his thirties", 30, 39),
        ("late twenties", 27, 29),
        ("50-59", 50, 59),
        ("60+", 60, None),
    ],
)
def test_parse_age(text: str | int, low: int, high: int | None) -> None:
    assert parse_age(text) == AgeBand(low=low, high=high)


@pytest.mark.parametrize("text", ["elderly", "59-50", "fiftyish", ""])
def test_unreadable_ages(text: str) -> None:
    with pytest.raises(InvalidAge):
        parse_age(text)


def test_descriptor_canonicalises_origin_and_reads_bands() -> None:
    d = PublicDescriptor(gender="female", age_band="in her fifties", origin="Chungjin")
    assert d.origin == "Chongjin"
    assert d.age_band == AgeBand(low=50, high=59)
    assert d.nationality == "KP"
    assert d.effective_age_band() == AgeBand(low=50, high=59)


def test_descriptor_rejects_unknown_origin_with_suggestion() -> None:
    with pytest.raises(ValidationError) as info:
        PublicDescriptor(origin="Hoeryongg")
    assert "Hoeryong" in str(info.value)


def test_age_must_lie_in_band() -> None:
    with pytest.raises(ValidationError):
        PublicDescriptor(age=61, age_band="50-59")


def test_nationality_by_name() -> None:
    assert PublicDescriptor(nationality="China").nationality == "CN"
    with pytest.raises(ValidationError):
        PublicDescriptor(nationality="Atlantis")

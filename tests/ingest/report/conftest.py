"""Fixtures for the report parser: the reference paper, parsed once, and the test documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from corroborate.ingest.report import ParsedReport, parse_report_text, read_report

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def seed(reference_paper: str) -> ParsedReport:
    """The reference paper, parsed."""
    return parse_report_text(reference_paper)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def amnesty_style() -> ParsedReport:
    return read_report(DATA / "amnesty-style-endnotes.txt")


@pytest.fixture(scope="session")
def bracketed() -> ParsedReport:
    return read_report(DATA / "bracketed-notes.md")


@pytest.fixture(scope="session")
def page_footnotes() -> ParsedReport:
    return read_report(DATA / "page-footnotes.txt")

"""Getting cases in and out: casefiles (YAML/JSON) and the text of published reports."""

from .casefile import (
    SECTIONS,
    MergeFile,
    case_json_schema,
    dump_case,
    parse_casefile,
    parse_merge_casefile,
    read_casefile,
    read_casefile_text,
    write_casefile,
)
from .personlists import PersonList, read_person_lists
from .personmapping import FIELDS as PERSON_FIELDS
from .report import ParsedReport, merge_report, parse_report_text, read_report, report_to_case
from .restricted import RestrictedValues, restricted_values
from .truth import read_truth

__all__ = [
    "PERSON_FIELDS",
    "SECTIONS",
    "ParsedReport",
    "PersonList",
    "RestrictedValues",
    "case_json_schema",
    "dump_case",
    "merge_report",
    "MergeFile",
    "parse_casefile",
    "parse_merge_casefile",
    "parse_report_text",
    "read_casefile",
    "read_casefile_text",
    "read_person_lists",
    "read_report",
    "read_truth",
    "report_to_case",
    "restricted_values",
    "write_casefile",
]

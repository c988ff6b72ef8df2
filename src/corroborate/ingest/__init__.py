"""Getting cases in and out: casefiles (YAML/JSON) now, report text and gazetteer look-ups later."""

from .casefile import SECTIONS, case_json_schema, dump_case, parse_casefile, read_casefile, write_casefile

__all__ = ["SECTIONS", "case_json_schema", "dump_case", "parse_casefile", "read_casefile", "write_casefile"]

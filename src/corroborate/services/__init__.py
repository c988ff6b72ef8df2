"""Use cases that combine the layers; the CLI and the web app are thin shells over these."""

from .cases import (
    ImportResult,
    Progress,
    WitnessListing,
    case_ids,
    claims,
    export_case,
    import_case,
    import_casefile,
    init_store,
    summary,
    witnesses,
)

__all__ = [
    "ImportResult",
    "Progress",
    "WitnessListing",
    "case_ids",
    "claims",
    "export_case",
    "import_case",
    "import_casefile",
    "init_store",
    "summary",
    "witnesses",
]

"""The words a page shows for the values of the closed lists (grades, stances, genders, how a source knows,
consent, kinds of search hit, what became of a recommendation), marked for the catalog so that each is
shown in the reader's language.

A template shows a machine value as ``{{ _(value|word) }}``: the ``word`` filter gives its English display
text (the catalog's message id), ``_`` translates it. The machine value itself stays where machines read
it (form values, CSS classes, links). A value the list does not know (a grade of a standard of proof made
for one case) is shown as it is written, underscores as spaces, untranslated. Never give ``_`` an empty
string (gettext answers the catalog's header): show a value only when there is one.
"""

from __future__ import annotations

from .i18n import N_

__all__ = ["EDGE_MESSAGES", "WORDS", "word"]

WORDS: dict[str, str] = {
    # Grades: the rankings of the standards of proof shipped in corroborate/analysis/data/standards.
    "established": N_("established"),
    "reasonable_grounds": N_("reasonable grounds"),
    "several_sources": N_("several sources"),
    "single_source": N_("single source"),
    "contested": N_("contested"),
    "unsupported": N_("unsupported"),
    "reasonable_grounds_to_believe": N_("reasonable grounds to believe"),
    "uncorroborated": N_("uncorroborated"),
    # What a claim does to its proposition (services.vocabulary.STANCES).
    "supports": N_("supports"),
    "contradicts": N_("contradicts"),
    # Witnesses' genders (services.vocabulary.GENDERS).
    "male": N_("male"),
    "female": N_("female"),
    "other": N_("other"),
    # How a source knows what it says (services.vocabulary.EXCERPT_MODES); "document" is also a kind of hit.
    "witnessed": N_("witnessed"),
    "experienced": N_("experienced"),
    "heard_official": N_("heard from an official"),
    "hearsay": N_("hearsay"),
    "unstated": N_("not stated"),
    "document": N_("document"),
    # What a witness consented to (the interview form's choices).
    "quote": N_("quote"),
    "paraphrase": N_("paraphrase"),
    "background": N_("background only"),
    # Kinds of search hit.
    "excerpt": N_("excerpt"),
    "proposition": N_("proposition"),
    "witness": N_("witness"),
    # What became of a recommendation (services.vocabulary.RECOMMENDATION_STATUSES).
    "issued": N_("issued"),
    "acknowledged": N_("acknowledged"),
    "partially_implemented": N_("partially implemented"),
    "implemented": N_("implemented"),
    "rejected": N_("rejected"),
    "no_response": N_("no response"),
}

# Messages of the services that the sign-in page shows through ``_`` (auth.py capitalises them, so they cannot
# be marked where they are said); the web modules mark their own where they write them.
EDGE_MESSAGES: tuple[str, ...] = (
    N_("Unknown user or wrong password."),
    N_("Wrong one-time code."),
)


def word(value: object) -> str:
    """The English display text of a closed-list value (the catalog's message id); '' for no value."""
    if value is None:
        return ""
    text = str(value)
    return WORDS.get(text, text.replace("_", " "))

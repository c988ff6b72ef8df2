"""One record at a time: created, read with its version, updated, deleted; checked, audited, versioned."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from corroborate import services
from corroborate.domain import (
    Claim,
    Document,
    Excerpt,
    Interview,
    Proposition,
    PublicDescriptor,
    Recommendation,
    RestrictedIdentity,
    Witness,
)
from corroborate.errors import (
    CaseLocked,
    Forbidden,
    RecordConflict,
    RecordExists,
    RecordInUse,
    RecordInvalid,
    RecordNotFound,
    UserError,
)
from corroborate.ingest import parse_casefile
from corroborate.services import LOCAL_OWNER, Actor, Role, Secrets
from corroborate.services.records import (
    RECORD_KINDS,
    create_record,
    delete_record,
    get_record,
    record_model,
    update_record,
)

SMALL = """\
version: 1
case: {id: small, title: A small case}
witnesses:
  - id: W-001
    descriptor: {gender: female, age: 34, origin: Hoeryong}
    restricted: {name: Planted Name One, invented: true}
  - id: W-002
    descriptor: {gender: male, age: 51, origin: Musan}
interviews:
  - {id: I-1, witness: W-001, date: 2006-05-02, country: CN}
  - {id: I-2, witness: W-002, date: 2006-05-03, country: CN}
documents:
  - {id: D-1, kind: news, title: A news report, date: 2006-01-10}
excerpts:
  - {id: E-1, source: I-1, mode: witnessed, text: Guards beat the returnees at the holding centre.}
  - {id: E-2, source: I-2, mode: hearsay, text: He heard that the returnees were beaten.}
  - {id: E-3, source: D-1, mode: document, text: Returnees are beaten in holding centres.}
propositions:
  - key: returnees.beaten
    statement: Returnees are beaten in holding centres.
    attributes:
      year: {type: number}
claims:
  - {id: C-1, excerpt: E-1, proposition: returnees.beaten, attributes: {year: 2005}}
  - {id: C-2, excerpt: E-2, proposition: returnees.beaten}
"""
PASSWORD = "a long enough password"


@pytest.fixture
def small(store_location: str, secrets: Any) -> str:
    services.import_case(store_location, parse_casefile(SMALL), actor=LOCAL_OWNER, secrets=secrets)
    return store_location


def _entries(location: str) -> list[Any]:
    return services.audit_entries(location, actor=LOCAL_OWNER, limit=10_000)


def test_a_record_is_read_with_its_version_and_without_its_identity(small: str, secrets: Any) -> None:
    read = get_record(small, "witness", "W-001", actor=LOCAL_OWNER)
    assert read.version == 1 and read.item.restricted is None and read.item.descriptor.origin == "Hoeryong"
    opened = get_record(small, "witness", "W-001", actor=LOCAL_OWNER, secrets=secrets, identity=True)
    assert opened.item.restricted.name == "Planted Name One"
    claim = get_record(small, "claim", "C-1", actor=LOCAL_OWNER)
    assert (claim.item.excerpt, claim.item.proposition, claim.item.attributes) == ("E-1", "returnees.beaten",
                                                                                   {"year": 2005})  # fmt: skip
    with pytest.raises(RecordNotFound, match="no excerpt 'E-9' in case 'small'"):
        get_record(small, "excerpt", "E-9", actor=LOCAL_OWNER)


def test_each_change_writes_one_audit_entry_per_row_and_the_log_verifies(small: str, secrets: Any) -> None:
    start = len(_entries(small))
    made = create_record(small, "interview", Interview(id="I-3", witness="W-002", date="2006-06", country="CN"),
                         actor=LOCAL_OWNER, secrets=secrets)  # fmt: skip
    assert (made.action, made.version) == ("create", 1)
    excerpt = Excerpt(id="E-4", source="I-3", mode="witnessed", text="The guards beat him again in June.")
    create_record(small, "excerpt", excerpt, actor=LOCAL_OWNER, secrets=secrets)
    claim = Claim(id="C-3", excerpt="E-4", proposition="returnees.beaten", attributes={"year": 2006.0})
    create_record(small, "claim", claim, actor=LOCAL_OWNER, secrets=secrets)
    stored = get_record(small, "claim", "C-3", actor=LOCAL_OWNER)
    assert stored.item.attributes == {"year": 2006}
    changed = update_record(small, "excerpt", excerpt.model_copy(update={"text": "The guards beat him in June."}),
                            version=1, actor=LOCAL_OWNER, secrets=secrets)  # fmt: skip
    assert (changed.action, changed.version) == ("update", 2)
    unchanged = update_record(small, "excerpt", excerpt.model_copy(update={"text": "The guards beat him in June."}),
                              version=2, actor=LOCAL_OWNER, secrets=secrets)  # fmt: skip
    assert unchanged.action == "unchanged"
    entries = _entries(small)[start:]  # oldest first
    assert [(e.entity, e.entity_id, e.action) for e in entries] == [
        ("interview", "small/I-3", "create"),
        ("excerpt", "small/E-4", "create"),
        ("claim", "small/C-3", "create"),
        ("excerpt", "small/E-4", "update"),
    ]
    assert entries[-1].before_hash == entries[1].after_hash
    assert services.verify(small, actor=LOCAL_OWNER).ok
    assert services.summary(small, actor=LOCAL_OWNER).claims == 3


def test_references_are_checked_and_nothing_is_written(small: str, secrets: Any) -> None:
    start = len(_entries(small))
    with pytest.raises(RecordInvalid, match="no excerpt 'E-9'"):
        create_record(small, "claim", Claim(id="C-9", excerpt="E-9", proposition="returnees.beaten"),
                      actor=LOCAL_OWNER, secrets=secrets)  # fmt: skip
    with pytest.raises(RecordInvalid, match="has no attribute 'place'"):
        wrong = Claim(id="C-9", excerpt="E-2", proposition="returnees.beaten", attributes={"place": "Onsong"})
        create_record(small, "claim", wrong, actor=LOCAL_OWNER, secrets=secrets)
    with pytest.raises(RecordInvalid, match="already codes E-1 the same way"):
        twice = Claim(id="C-9", excerpt="E-1", proposition="returnees.beaten", attributes={"year": 2005})
        create_record(small, "claim", twice, actor=LOCAL_OWNER, secrets=secrets)
    with pytest.raises(RecordInvalid, match="an excerpt of a document has mode 'document'"):
        create_record(small, "excerpt", Excerpt(id="E-9", source="D-1", mode="witnessed", text="x"),
                      actor=LOCAL_OWNER, secrets=secrets)  # fmt: skip
    with pytest.raises(RecordInvalid, match="no witness 'W-009'"):
        create_record(small, "interview", Interview(id="I-9", witness="W-009", date="2006", country="CN"),
                      actor=LOCAL_OWNER, secrets=secrets)  # fmt: skip
    with pytest.raises(RecordInvalid, match="id 'I-1' is also an interview id"):
        create_record(small, "document", Document(id="I-1", kind="news", title="Clash"), actor=LOCAL_OWNER,
                      secrets=secrets)  # fmt: skip
    with pytest.raises(RecordExists, match="already has a claim 'C-1'"):
        create_record(small, "claim", Claim(id="C-1", excerpt="E-2", proposition="returnees.beaten",
                                            stance="contradicts"), actor=LOCAL_OWNER, secrets=secrets)  # fmt: skip
    # Changing an excerpt's mode would break the claims on it: checked against them too.
    e1 = get_record(small, "excerpt", "E-1", actor=LOCAL_OWNER)
    with pytest.raises(RecordInvalid):
        update_record(small, "excerpt", e1.item.model_copy(update={"source": "D-1"}), version=e1.version,
                      actor=LOCAL_OWNER, secrets=secrets)  # fmt: skip
    assert len(_entries(small)) == start


def test_a_cited_excerpt_is_not_deleted_and_a_delete_leaves_no_orphan(small: str, secrets: Any) -> None:
    start = len(_entries(small))
    with pytest.raises(RecordInUse, match=r"excerpt 'E-1' is in use \(claim: C-1\)"):
        delete_record(small, "excerpt", "E-1", version=1, actor=LOCAL_OWNER, secrets=secrets)
    with pytest.raises(RecordInUse, match=r"witness 'W-001' is in use \(interview: I-1\)"):
        delete_record(small, "witness", "W-001", version=1, actor=LOCAL_OWNER, secrets=secrets)
    with pytest.raises(RecordInUse, match=r"proposition 'returnees.beaten' is in use \(claim: C-1, C-2\)"):
        delete_record(small, "proposition", "returnees.beaten", version=1, actor=LOCAL_OWNER, secrets=secrets)
    assert len(_entries(small)) == start
    assert get_record(small, "excerpt", "E-1", actor=LOCAL_OWNER).version == 1
    # Uncode, then delete bottom up: each succeeds once nothing points to it.
    for kind, ref in [("claim", "C-1"), ("excerpt", "E-1"), ("interview", "I-1"), ("witness", "W-001")]:
        gone = delete_record(small, kind, ref, version=1, actor=LOCAL_OWNER, secrets=secrets)
        assert gone.action == "delete"
    assert gone.identity  # the witness's sealed identity went with it, audited
    entries = _entries(small)[start:]
    assert [(e.entity, e.action) for e in entries if e.entity != "scan_index"] == [
        ("claim", "delete"), ("excerpt", "delete"), ("interview", "delete"), ("identity", "delete"),
        ("witness", "delete"),
    ]  # fmt: skip
    with pytest.raises(RecordNotFound, match=r"no witness 'W-001' in case 'small' \(deleted by local at "):
        get_record(small, "witness", "W-001", actor=LOCAL_OWNER)
    assert services.verify(small, actor=LOCAL_OWNER).ok


def test_a_stale_version_is_refused_naming_who_changed_it(small: str, secrets: Any) -> None:
    first = get_record(small, "claim", "C-2", actor=LOCAL_OWNER)
    second = get_record(small, "claim", "C-2", actor=LOCAL_OWNER)
    ana = Actor("ana", {None: Role.owner})
    update_record(small, "claim", first.item.model_copy(update={"note": "first"}), version=first.version,
                  actor=ana, secrets=secrets)  # fmt: skip
    start = len(_entries(small))
    with pytest.raises(RecordConflict, match=r"claim 'C-2' was changed \(now version 2\) by ana at .* after you read "
                                             r"version 1; nothing was written") as caught:  # fmt: skip
        update_record(small, "claim", second.item.model_copy(update={"note": "second"}), version=second.version,
                      actor=LOCAL_OWNER, secrets=secrets)  # fmt: skip
    assert (caught.value.by, caught.value.current) == ("ana", 2)
    with pytest.raises(RecordConflict):
        delete_record(small, "claim", "C-2", version=second.version, actor=LOCAL_OWNER, secrets=secrets)
    assert get_record(small, "claim", "C-2", actor=LOCAL_OWNER).item.note == "first"
    assert len(_entries(small)) == start


def test_two_writers_at_once_one_wins(small: str, secrets: Any) -> None:
    read = get_record(small, "claim", "C-2", actor=LOCAL_OWNER)
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def write(name: str) -> None:
        barrier.wait()
        try:
            outcomes[name] = update_record(small, "claim", read.item.model_copy(update={"note": name}),
                                           version=read.version, actor=Actor(name, {None: Role.owner}),
                                           secrets=secrets)  # fmt: skip
        except RecordConflict as exc:
            outcomes[name] = exc

    threads = [threading.Thread(target=write, args=(name,)) for name in ("one", "two")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    winners = [n for n, o in outcomes.items() if not isinstance(o, RecordConflict)]
    losers = [o for o in outcomes.values() if isinstance(o, RecordConflict)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert losers[0].by == winners[0]
    now = get_record(small, "claim", "C-2", actor=LOCAL_OWNER)
    assert (now.item.note, now.version) == (winners[0], 2)
    assert services.verify(small, actor=LOCAL_OWNER).ok


def test_a_witness_identity_is_sealed_and_scanned_and_never_in_an_error(small: str, secrets: Any) -> None:
    witness = Witness(id="W-003", descriptor=PublicDescriptor(gender="female", age=29, origin="Chongjin"),
                      restricted=RestrictedIdentity(name="Planted Name Three", birth_date="2007-01-01"))  # fmt: skip
    create_record(small, "witness", witness, actor=LOCAL_OWNER, secrets=secrets)
    kinds = [(e.entity, e.action) for e in _entries(small)[-3:]]
    assert kinds[:2] == [("witness", "create"), ("identity", "create")] and kinds[2][0] == "scan_index"
    # Born after the interview: refused, and the message never shows the date or the name.
    with pytest.raises(RecordInvalid) as caught:
        create_record(small, "interview", Interview(id="I-3", witness="W-003", date="2006-06", country="CN"),
                      actor=LOCAL_OWNER, secrets=secrets)  # fmt: skip
    assert "the date is not shown" in str(caught.value)
    assert "2007" not in str(caught.value) and "Planted" not in str(caught.value)
    read = get_record(small, "witness", "W-003", actor=LOCAL_OWNER)
    moved = read.item.model_copy(update={"descriptor": read.item.descriptor.model_copy(update={"origin": "Musan"})})
    done = update_record(small, "witness", moved, version=read.version, actor=LOCAL_OWNER, secrets=secrets)
    assert not done.identity  # no identity given: the stored one stays
    opened = get_record(small, "witness", "W-003", actor=LOCAL_OWNER, secrets=secrets, identity=True)
    assert opened.item.restricted.name == "Planted Name Three" and opened.version == 2
    assert services.verify(small, actor=LOCAL_OWNER).ok


def test_roles(small: str, secrets: Any, tmp_path: Path) -> None:
    services.add_user(small, "owner", PASSWORD, Role.owner, actor=LOCAL_OWNER, secrets=secrets)
    services.add_user(small, "ana", PASSWORD, Role.analyst, actor=LOCAL_OWNER, secrets=secrets)
    ana = services.authenticate(small, "ana", PASSWORD)
    nobody = Secrets()  # an analyst cannot unlock the case: claims are signed with their own key
    made = create_record(small, "claim", Claim(id="C-9", excerpt="E-2", proposition="returnees.beaten",
                                               stance="contradicts"), actor=ana, secrets=nobody)  # fmt: skip
    delete_record(small, "claim", "C-9", version=made.version or 0, actor=ana, secrets=nobody)
    with pytest.raises(Forbidden, match="may not edit records"):
        create_record(small, "document", Document(id="D-9", kind="news", title="x"), actor=ana, secrets=nobody)
    with pytest.raises(Forbidden, match="may not view identities"):
        get_record(small, "witness", "W-001", actor=ana, secrets=nobody, identity=True)
    owner = services.authenticate(small, "owner", PASSWORD)
    with pytest.raises(CaseLocked):  # the owner's writes are signed by the case: it must be unlocked
        create_record(small, "document", Document(id="D-9", kind="news", title="x"), actor=owner, secrets=nobody)
    assert services.verify(small, actor=owner).ok


def test_an_identity_removed_leaves_the_witness_and_no_trace_of_it(small: str, secrets: Any) -> None:
    read = get_record(small, "witness", "W-001", actor=LOCAL_OWNER)
    assert services.remove_identity(small, "W-001", actor=LOCAL_OWNER, secrets=secrets)
    assert "W-001" not in services.identities(small, actor=LOCAL_OWNER, secrets=secrets)
    now = get_record(small, "witness", "W-001", actor=LOCAL_OWNER, secrets=secrets, identity=True)
    assert now.item.restricted is None and now.version == read.version + 1  # a stale edit of it is refused
    written = [(e.entity, e.action) for e in _entries(small)]
    assert written[-2:] == [("identity", "delete"), ("scan_index", "update")]
    assert not services.remove_identity(small, "W-001", actor=LOCAL_OWNER, secrets=secrets)
    assert services.verify(small, actor=LOCAL_OWNER).ok


def test_each_kind_of_record_has_its_domain_model() -> None:
    models = {kind: record_model(kind) for kind in RECORD_KINDS}
    assert models == {"witness": Witness, "interview": Interview, "document": Document, "excerpt": Excerpt,
                      "proposition": Proposition, "claim": Claim, "recommendation": Recommendation}  # fmt: skip
    with pytest.raises(UserError, match="no kind of record 'person'"):
        record_model("person")

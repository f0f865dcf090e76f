"""Maintained aggregates for the comparison table and the measure listing.

A national corpus makes ``compare`` and ``measures`` read a million rows when they count at
query time. Instead, SQLite triggers keep multiplicity tallies exact on every write
(ingest, re-analysis, classify, crawl flags, deletion — whichever process writes):

* ``ctally(adcode, strategy, kind, value, n)``: per place (``''``: none) and strategy (``*``:
  any, ``#m``: naming a measure, ``@``: labeller) the distinct sentence texts (``text``,
  by ``sentences.text_key``), documents (``doc``), measures of the strategy (``measure``) and
  labellers (``method``) with how many counted sentence rows carry each; ``csum`` counts the
  values, so a cell of ``compare`` is one row.
* ``mtally(canonical, kind, value, n)`` and ``msum``: per measure its mentions, documents,
  places, methods, categories, surface forms and dates.

Only counted sentences (``store.COUNTED``) with strategy scores ≥ ``THRESHOLD`` contribute;
tables with another threshold, a years filter, a strategy subset or rows above the county
level are counted from the rows at query time as before (``compare.compare(direct=True)``),
and a test checks that both ways give the same tables.
"""

from __future__ import annotations

import hashlib

THRESHOLD = 0.5
_COUNTED = "s.boilerplate = 0 and coalesce({d}.relevant, 1) = 1 and {d}.duplicate_of is null"
_NAME = "coalesce(nullif(rg.county, ''), nullif(rg.city, ''))"


def text_key(text: str) -> int:
    """A 64-bit key of a sentence's text: the same text counts once per cell."""
    return int.from_bytes(
        hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big", signed=True
    )


def _bump(table: str, values: str, source: str, sign: int, key: str) -> str:
    return (
        f"insert into {table} ({key}, n) select {values}, {sign} {source}"
        f" on conflict ({key}) do update set n = n + excluded.n;"
    )


def _c(values: str, source: str, sign: int) -> str:
    return _bump("ctally", values, source, sign, "adcode, strategy, kind, value")  # any order


def _m(values: str, source: str, sign: int) -> str:
    return _bump("mtally", values, source, sign, "canonical, kind, value")


def _pairs(adcode: str, strategy: str, method: str, source: str, sign: int) -> list[str]:
    """The contributions of (sentence, strategy, place) pairs: texts and documents per cell,
    documents and texts per row, labellers."""
    return [
        _c(f"{adcode}, {strategy}, 'text', s.text_key", source, sign),
        _c(f"{adcode}, {strategy}, 'doc', s.document_id", source, sign),
        _c(f"{adcode}, '*', 'doc', s.document_id", source, sign),
        _c(f"{adcode}, '*', 'text', s.text_key", source, sign),
        _c(f"{adcode}, '@', 'method', {method}", source, sign),
    ]


def _mentions(m: str, source: str, published: str, sign: int) -> list[str]:
    """The contributions of measure mentions that do not depend on places."""
    return [
        f"insert into msum (canonical, mentions, documents) select {m}.canonical, {sign}, 0"
        f" {source} on conflict (canonical) do update set mentions = mentions + {sign};",
        _m(f"{m}.canonical, 'method', {m}.method", source, sign),
        _m(
            f"{m}.canonical, 'category', {m}.category",
            f"{source} and {m}.category is not null",
            sign,
        ),
        _m(f"{m}.canonical, 'term', {m}.term", source, sign),
        _m(f"{m}.canonical, 'doc', {m}.document_id", source, sign),
        _m(f"{m}.canonical, 'date', {published}", f"{source} and {published} is not null", sign),
    ]


def _sentence(sid: str) -> str:
    """A counted sentence ``s`` (with its document ``d``) by id."""
    return (
        f"from sentences s join documents d on d.id = s.document_id"
        f" where s.id = {sid} and {_COUNTED.format(d='d')}"
    )


def _ss_trigger(r: str, sign: int) -> list[str]:
    """A strategy row ``r`` (new or old) of a sentence: with each of its places, or none."""
    src = (
        f"from sentences s join documents d on d.id = s.document_id"
        f" left join sentence_regions sr on sr.sentence_id = s.id"
        f" where s.id = {r}.sentence_id and {_COUNTED.format(d='d')}"
    )
    measures = (
        f"from sentences s join documents d on d.id = s.document_id"
        f" join sentence_regions sr on sr.sentence_id = s.id"
        f" join measures m on m.sentence_id = s.id and m.category = {r}.strategy"
        f" where s.id = {r}.sentence_id and {_COUNTED.format(d='d')}"
    )
    return [
        *_pairs("coalesce(sr.adcode, '')", f"{r}.strategy", f"{r}.method", src, sign),
        _c(f"sr.adcode, {r}.strategy, 'measure', m.canonical", measures, sign),
    ]


def _sr_trigger(r: str, sign: int) -> list[str]:
    """A place row ``r`` of a sentence: with each strategy and each measure of it."""
    strategies = (
        f"from sentence_strategies ss join sentences s on s.id = ss.sentence_id"
        f" join documents d on d.id = s.document_id"
        f" where ss.sentence_id = {r}.sentence_id and ss.score >= {THRESHOLD}"
        f" and {_COUNTED.format(d='d')}"
    )
    with_measures = strategies.replace(
        " where ", " join measures m on m.sentence_id = s.id and m.category = ss.strategy where "
    )
    measures = (
        f"from measures m join sentences s on s.id = m.sentence_id"
        f" join documents d on d.id = s.document_id"
        f" where m.sentence_id = {r}.sentence_id and {_COUNTED.format(d='d')}"
    )
    places = measures.replace(" where ", f" join regions rg on rg.adcode = {r}.adcode where ")
    only = (
        f"not exists (select 1 from sentence_regions o where o.sentence_id = {r}.sentence_id"
        f" and o.adcode != {r}.adcode)"
    )
    return [
        # the sentence had no place before this one / has none left after it
        *_pairs("''", "ss.strategy", "ss.method", f"{strategies} and {only}", -sign),
        *_pairs(f"{r}.adcode", "ss.strategy", "ss.method", strategies, sign),
        _c(f"{r}.adcode, ss.strategy, 'measure', m.canonical", with_measures, sign),
        _c(f"{r}.adcode, '#m', 'text', s.text_key", measures, sign),
        _m(f"m.canonical, 'place', {_NAME}", f"{places} and {_NAME} is not null", sign),
    ]


def _m_trigger(r: str, sign: int) -> list[str]:
    """A measure row ``r``: its mention, and with each place (and strategy) of its sentence."""
    src = _sentence(f"{r}.sentence_id")
    placed = src.replace(" where ", " join sentence_regions sr on sr.sentence_id = s.id where ")
    places = placed.replace(" where ", " join regions rg on rg.adcode = sr.adcode where ")
    strategies = placed.replace(
        " where ",
        f" join sentence_strategies ss on ss.sentence_id = s.id and ss.strategy = {r}.category"
        f" and ss.score >= {THRESHOLD} where ",
    )
    return [
        *_mentions(r, src, "d.published", sign),
        _m(f"{r}.canonical, 'place', {_NAME}", f"{places} and {_NAME} is not null", sign),
        _c("sr.adcode, '#m', 'text', s.text_key", placed, sign),
        _c(f"sr.adcode, ss.strategy, 'measure', {r}.canonical", strategies, sign),
    ]


def _document(r: str, sign: int, *, every: bool = False) -> list[str]:
    """Everything a document ``r`` (the trigger's new or old row) contributes; with
    ``every``, every document (``r`` = ``d``: filling the tallies of an existing corpus)."""
    join = f" join documents {r} on {r}.id = s.document_id" if every else ""
    scope = "1" if every else f"s.document_id = {r}.id"
    base = f"where {scope} and {_COUNTED.format(d=r)}"
    pairs = (
        f"from sentence_strategies ss join sentences s on s.id = ss.sentence_id{join}"
        f" left join sentence_regions sr on sr.sentence_id = s.id"
        f" {base} and ss.score >= {THRESHOLD}"
    )
    cell_measures = (
        f"from sentence_strategies ss join sentences s on s.id = ss.sentence_id{join}"
        f" join sentence_regions sr on sr.sentence_id = s.id"
        f" join measures m on m.sentence_id = s.id and m.category = ss.strategy"
        f" {base} and ss.score >= {THRESHOLD}"
    )
    mentions = f"from measures m join sentences s on s.id = m.sentence_id{join} {base}"
    placed = (
        f"from measures m join sentences s on s.id = m.sentence_id{join}"
        f" join sentence_regions sr on sr.sentence_id = s.id"
        f" join regions rg on rg.adcode = sr.adcode {base}"
    )
    return [
        *_pairs("coalesce(sr.adcode, '')", "ss.strategy", "ss.method", pairs, sign),
        _c("sr.adcode, ss.strategy, 'measure', m.canonical", cell_measures, sign),
        _c("sr.adcode, '#m', 'text', s.text_key", placed, sign),
        *_mentions("m", mentions, f"{r}.published", sign),
        _m(f"m.canonical, 'place', {_NAME}", f"{placed} and {_NAME} is not null", sign),
    ]


def _trigger(name: str, event: str, body: list[str], when: str = "", *, adds: bool = False) -> str:
    """A trigger running ``body``; one that may subtract then drops the emptied tallies."""
    cleanup = (
        []
        if adds
        else [
            "delete from ctally where n = 0;",
            "delete from mtally where n = 0;",
        ]
    )
    when = f" when {when}" if when else ""
    return f"create trigger {name} {event}{when} begin\n" + "\n".join(body + cleanup) + "\nend;"


def schema_sql() -> list[str]:
    """Tables, indexes and triggers of the tallies (migration m009), one statement each."""
    counted = "(coalesce({r}.relevant, 1) = 1 and {r}.duplicate_of is null)"
    changed = (
        f"{counted.format(r='old')} is not {counted.format(r='new')}"
        " or old.published is not new.published"
    )
    parts = [
        "create table ctally (adcode text not null, strategy text not null, kind text not null,"
        " value not null, n integer not null, primary key (kind, adcode, strategy, value))"
        " without rowid;",
        "create index ctally_zero on ctally (n) where n = 0;",
        "create table csum (adcode text not null, strategy text not null, kind text not null,"
        " k integer not null, primary key (adcode, strategy, kind)) without rowid;",
        "create table mtally (canonical text not null, kind text not null, value not null,"
        " n integer not null, primary key (canonical, kind, value)) without rowid;",
        "create index mtally_zero on mtally (n) where n = 0;",
        "create table msum (canonical text primary key, mentions integer not null,"
        " documents integer not null) without rowid;",
        "create trigger ctally_ai after insert on ctally begin"
        " insert into csum (adcode, strategy, kind, k) values"
        " (new.adcode, new.strategy, new.kind, 1)"
        " on conflict (adcode, strategy, kind) do update set k = k + 1; end;",
        "create trigger ctally_ad after delete on ctally begin"
        " update csum set k = k - 1 where adcode = old.adcode and strategy = old.strategy"
        " and kind = old.kind; end;",
        "create trigger mtally_ai after insert on mtally when new.kind = 'doc' begin"
        " update msum set documents = documents + 1 where canonical = new.canonical; end;",
        "create trigger mtally_ad after delete on mtally when old.kind = 'doc' begin"
        " update msum set documents = documents - 1 where canonical = old.canonical; end;",
        _trigger(
            "tally_ss_ai",
            "after insert on sentence_strategies",
            _ss_trigger("new", 1),
            f"new.score >= {THRESHOLD}",
            adds=True,
        ),
        _trigger(
            "tally_ss_ad",
            "after delete on sentence_strategies",
            _ss_trigger("old", -1),
            f"old.score >= {THRESHOLD}",
        ),
        _trigger(
            "tally_ss_au_old",
            "after update on sentence_strategies",
            _ss_trigger("old", -1),
            f"old.score >= {THRESHOLD}",
        ),
        _trigger(
            "tally_ss_au_new",
            "after update on sentence_strategies",
            _ss_trigger("new", 1),
            f"new.score >= {THRESHOLD}",
        ),
        _trigger(
            "tally_sr_ai",
            "after insert on sentence_regions",
            _sr_trigger("new", 1),
            # a writer stores places before labels and measures: nothing to pair with yet
            "exists (select 1 from sentence_strategies x where x.sentence_id = new.sentence_id)"
            " or exists (select 1 from measures x where x.sentence_id = new.sentence_id)",
        ),
        _trigger("tally_sr_ad", "after delete on sentence_regions", _sr_trigger("old", -1)),
        _trigger("tally_m_ai", "after insert on measures", _m_trigger("new", 1), adds=True),
        _trigger("tally_m_ad", "after delete on measures", _m_trigger("old", -1)),
        _trigger(
            "tally_d_au",
            "after update of relevant, duplicate_of, published on documents",
            [*_document("old", -1), *_document("new", 1)],
            changed,
        ),
    ]
    return parts


def fill_sql() -> list[str]:
    """Statements that fill the tallies of an existing corpus (after ``schema_sql``)."""
    return _document("d", 1, every=True)

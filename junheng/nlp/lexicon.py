"""The measure lexicon (举措): terms, variants and categories from ``measures.tsv``."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from junheng.errors import InputError

COLUMNS = ("term", "category_id", "gloss_zh", "variants")
QUOTES = "“”‘’\"'「」『』"


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """One named measure with its category id and surface variants."""

    term: str
    category: str | None
    gloss: str = ""
    variants: tuple[str, ...] = ()
    source: str = "builtin"

    @property
    def forms(self) -> tuple[str, ...]:
        """The term, its variants, and quote-free copies of quoted variants, without duplicates."""
        seen: dict[str, None] = {}
        for form in (self.term, *self.variants):
            for f in (form, form.strip(QUOTES)):
                if f:
                    seen.setdefault(f, None)
        return tuple(seen)


class Lexicon:
    """An ordered collection of entries with a form → entry index."""

    def __init__(self, entries: Iterable[LexiconEntry]) -> None:
        self.entries: list[LexiconEntry] = []
        self._by_term: dict[str, LexiconEntry] = {}
        for entry in entries:
            self.add(entry)

    def add(self, entry: LexiconEntry) -> None:
        """Add or replace (by term) an entry."""
        if entry.term in self._by_term:
            self.entries = [e for e in self.entries if e.term != entry.term]
        self.entries.append(entry)
        self._by_term[entry.term] = entry

    def update(self, entry: LexiconEntry) -> None:
        """Replace the entry of ``entry.term`` where it stands (its forms keep their priority)."""
        self.entries = [entry if e.term == entry.term else e for e in self.entries]
        self._by_term[entry.term] = entry

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[LexiconEntry]:
        return iter(self.entries)

    def __contains__(self, term: object) -> bool:
        return term in self._by_term

    def get(self, term: str) -> LexiconEntry | None:
        return self._by_term.get(term)

    def forms(self) -> dict[str, LexiconEntry]:
        """Every surface form mapped to its entry; on a clash the earlier entry keeps the form."""
        out: dict[str, LexiconEntry] = {}
        for entry in self.entries:
            for form in entry.forms:
                out.setdefault(form, entry)
        return out

    def fingerprint(self) -> str:
        """A short hash of the entries, recorded with analyses that used this lexicon."""
        h = hashlib.sha256()
        for e in self.entries:
            h.update("\t".join((e.term, e.category or "", "|".join(e.variants))).encode())
            h.update(b"\n")
        return h.hexdigest()[:16]

    def to_tsv(self) -> str:
        """The lexicon as TSV with the columns of ``measures.tsv`` that junheng reads."""
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="\t", lineterminator="\n")
        writer.writerow(COLUMNS)
        for e in self.entries:
            writer.writerow((e.term, e.category or "", e.gloss, "|".join(e.variants)))
        return buf.getvalue()


def parse_tsv(text: str, *, source: str = "builtin") -> list[LexiconEntry]:
    """Parse lexicon TSV text (header row with at least ``term``; other columns optional)."""
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    if not reader.fieldnames or "term" not in reader.fieldnames:
        raise InputError(f"{source}: lexicon TSV needs a header row with a 'term' column")
    entries = []
    for row in reader:
        term = (row.get("term") or "").strip()
        if not term:
            continue
        variants = tuple(v.strip() for v in (row.get("variants") or "").split("|") if v.strip())
        entries.append(
            LexiconEntry(
                term=term,
                category=(row.get("category_id") or row.get("category") or "").strip() or None,
                gloss=(row.get("gloss_zh") or row.get("gloss") or "").strip(),
                variants=variants,
                source=source,
            )
        )
    return entries


def builtin_lexicon() -> Lexicon:
    """The lexicon shipped with the package: a copy of the project's ``measures.tsv`` plus the
    variants junheng adds to its terms (``measures_variants.tsv``)."""
    data = resources.files("junheng").joinpath("data")
    lexicon = Lexicon(parse_tsv(data.joinpath("measures.tsv").read_text("utf-8")))
    lines = data.joinpath("measures_variants.tsv").read_text("utf-8").splitlines()
    for row in csv.DictReader((ln for ln in lines if not ln.startswith("#")), delimiter="\t"):
        entry = lexicon.get(row["term"])
        if entry is not None:
            extra = tuple(v for v in row["variants"].split("|") if v and v not in entry.variants)
            lexicon.update(replace(entry, variants=entry.variants + extra))
    return lexicon


def load_lexicon(extra: Iterable[str | Path] = ()) -> Lexicon:
    """The built-in lexicon plus entries from ``extra`` TSV files (later files win)."""
    lexicon = builtin_lexicon()
    for path in extra:
        try:
            text = Path(path).read_text("utf-8")
        except OSError as exc:
            raise InputError(f"cannot read lexicon file {path}: {exc.strerror}") from None
        for entry in parse_tsv(text, source=str(path)):
            lexicon.add(entry)
    return lexicon

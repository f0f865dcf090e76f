"""Measures and the lexicon: listings, new-term discovery, export and local additions."""

from __future__ import annotations

import os
from pathlib import Path

from junheng.api.documents import pipeline_for
from junheng.api.tables import resolve_places
from junheng.corpus import measures as measures_mod
from junheng.corpus.store import Corpus
from junheng.errors import InputError, TaxonomyError
from junheng.models.taxonomy import load_taxonomy
from junheng.nlp.lexicon import Lexicon, load_lexicon, parse_tsv
from junheng.nlp.newterms import TermCandidate, discover
from junheng.settings import Settings, load_settings


def list_measures(
    *,
    db: str | None = None,
    region: str | None = None,
    since: int | None = None,
    new_only: bool = False,
    limit: int = 50,
    settings: Settings | None = None,
) -> list[measures_mod.MeasureRow]:
    """Measures with counts, regions, first and last seen, category and how they were found."""
    settings = settings or load_settings()
    with Corpus.open(db or settings.db, readonly=True, timeout=settings.lock_timeout) as corpus:
        regions = []
        if region:
            pipeline = pipeline_for(corpus, settings)
            regions = resolve_places(pipeline, region)
        return measures_mod.list_measures(
            corpus, regions=regions, since=since, new_only=new_only, limit=limit
        )


def discover_terms(
    *,
    db: str | None = None,
    limit: int = 50,
    min_count: int | None = None,
    settings: Settings | None = None,
) -> list[TermCandidate]:
    """Candidate measure names the lexicon lacks, from corpus statistics (PMI and branching
    entropy over the stored sentences)."""
    settings = settings or load_settings()
    with Corpus.open(db or settings.db, readonly=True, timeout=settings.lock_timeout) as corpus:
        pipeline = pipeline_for(corpus, settings)
        sentences = list(measures_mod.clean_sentences(corpus))
    forms = set(pipeline.lexicon.forms())
    segmenter = pipeline.segmenter
    n_chars = sum(len(s) for s in sentences)
    count = min_count or (2 if n_chars < 200_000 else 3 if n_chars < 2_000_000 else 5)
    return discover(
        (pipeline.normalizer.text(s) for s in sentences),
        known=forms,
        is_word=lambda w: segmenter.base_freq(w) > 0,
        min_count=count,
        top=limit,
    )


def corpus_lexicon(db: str | None, settings: Settings) -> Lexicon:
    """The shipped lexicon plus the terms added to the corpus at ``db`` (when it exists)."""
    lexicon = load_lexicon()
    path = db or settings.db
    if path and Path(path).exists():
        with Corpus.open(path, readonly=True, timeout=settings.lock_timeout) as corpus:
            for entry in corpus.user_lexicon():
                lexicon.add(entry)
    return lexicon


def export_lexicon(
    out: str | os.PathLike[str], *, db: str | None = None, settings: Settings | None = None
) -> int:
    """Write the lexicon (shipped terms and this corpus's additions) as TSV; returns the count."""
    settings = settings or load_settings()
    lexicon = corpus_lexicon(db, settings)
    try:
        Path(out).write_text(lexicon.to_tsv(), encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror}") from None
    return len(lexicon)


def add_lexicon(
    path: str | os.PathLike[str], *, db: str | None = None, settings: Settings | None = None
) -> int:
    """Add the terms of a TSV file (columns term, category_id, gloss_zh, variants) to the
    corpus's lexicon. Categories must be taxonomy ids; run ``reanalyse`` afterwards."""
    settings = settings or load_settings()
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from None
    entries = parse_tsv(text, source=str(path))
    if not entries:
        raise InputError(f"{path} holds no terms")
    taxonomy = load_taxonomy()
    for e in entries:
        if e.category is not None and e.category not in taxonomy.strategies:
            raise TaxonomyError(
                f"{path}: term {e.term!r}: "
                + f"unknown category {e.category!r}; use a strategy id such as "
                + ", ".join(taxonomy.strategy_ids[:3])
                + " …"
            )
    with Corpus.open(db or settings.db, timeout=settings.lock_timeout) as corpus:
        return corpus.add_lexicon_entries(entries)

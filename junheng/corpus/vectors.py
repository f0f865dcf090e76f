"""Sentence texts for embedders: hashes (labels are keyed by them) and the counted sentences.

The vectors themselves live in the usearch index beside the corpus (``vector_index``).
"""

from __future__ import annotations

import hashlib

from junheng.corpus.store import COUNTED, Corpus


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def counted_sentences(corpus: Corpus) -> list[dict]:
    """Counted (article, relevant, non-duplicate) sentences: id and text."""
    return corpus.query(
        f"select s.id, s.text from sentences s join documents d on d.id = s.document_id"
        f" where {COUNTED} order by s.id"
    )

"""Semantic search over stored vectors, and the errors around embedders."""

import shutil

import pytest

from junheng import api
from junheng.corpus import vectors
from junheng.corpus.store import Corpus
from junheng.errors import ConfigError


@pytest.fixture
def db(sample_db, tmp_path):
    path = str(tmp_path / "c.db")
    shutil.copy(sample_db, path)
    return path


def test_semantic_and_hybrid_search_with_tfidf(db, settings, tmp_path):
    s = settings.with_overrides(embedder="tfidf", cache_dir=str(tmp_path / "cache"))
    result = api.search("城乡教师交流", db=db, mode="semantic", settings=s, limit=5)
    assert len(result.hits) == 5
    assert any("交流" in h.text for h in result.hits)
    with Corpus.open(db, create=False) as corpus:
        stored = corpus.query("select count(*) n, count(distinct model) m from vectors")[0]
    assert stored["n"] > 300 and stored["m"] == 1
    again = api.search("城乡教师交流", db=db, mode="semantic", settings=s, limit=5)
    assert [h.sentence_id for h in again.hits] == [h.sentence_id for h in result.hits]
    hybrid = api.search("集团化办学", db=db, mode="hybrid", settings=s, limit=5)
    assert hybrid.hits and any(h.matches for h in hybrid.hits)


def test_vectors_of_another_width_are_refused(db):
    with Corpus.open(db, create=False) as corpus:
        vectors.ensure_vectors(
            corpus,
            ["新田县推进县管校聘"],
            model="m1",
            dim=3,
            encode=lambda t: __import__("numpy").ones((len(t), 3)),
        )
        with pytest.raises(ConfigError, match="3-dimensional"):
            vectors.ensure_vectors(
                corpus,
                ["另一句"],
                model="m1",
                dim=4,
                encode=lambda t: __import__("numpy").ones((len(t), 4)),
            )


def test_embedder_errors(settings, tmp_path):
    from junheng.models.embed import get_embedder
    from junheng.settings import load_settings

    with pytest.raises(ConfigError, match="expected one of"):
        load_settings(embedder="word2vec")
    with pytest.raises(ConfigError, match="no_such_model"):
        get_embedder(f"st:{tmp_path / 'no_such_model'}", cache_dir=tmp_path)
    with pytest.raises(ConfigError, match="junheng models build"):
        get_embedder("default", cache_dir=tmp_path / "empty")


def test_semantic_search_on_a_corpus_it_cannot_write(db, settings, tmp_path, monkeypatch):
    """A corpus nobody may write (opening it for writing fails) is searched all the same, with
    the vectors kept in memory, and left as it was."""
    from pathlib import Path

    from junheng.errors import CorpusError

    real_open = Corpus.open.__func__

    def open_read_only(cls, path, **kwargs):
        if not kwargs.get("readonly"):
            raise CorpusError(f"database {path} is read-only")
        return real_open(cls, path, **kwargs)

    s = settings.with_overrides(embedder="tfidf", cache_dir=str(tmp_path / "cache"))
    before = Path(db).read_bytes()
    monkeypatch.setattr(Corpus, "open", classmethod(open_read_only))
    result = api.search("城乡教师交流", db=db, mode="semantic", settings=s, limit=5)
    assert len(result.hits) == 5
    monkeypatch.undo()
    assert Path(db).read_bytes() == before


def test_the_embedder_loads_once_per_process(db, settings, monkeypatch):
    from junheng.api.embeddings import _loaded_embedder
    from junheng.models import embed

    loads = []

    def fake_get_embedder(spec, *, cache_dir, tokenizer=None):
        loads.append(spec)
        model = embed.TfidfEmbedder()
        model.fit(["城乡教师流动", "集团化办学", "县管校聘改革", "双减政策"])
        return model

    monkeypatch.setattr(embed, "get_embedder", fake_get_embedder)
    _loaded_embedder.cache_clear()
    try:
        for query in ("城乡教师流动", "集团化办学"):
            api.search(query, db=db, mode="semantic", settings=settings, limit=3)
    finally:
        _loaded_embedder.cache_clear()
    assert loads == ["default"]

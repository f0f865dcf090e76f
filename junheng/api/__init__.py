"""Public library functions; each CLI command calls exactly one of them."""

from junheng.api.demo import DEMO_DB, DemoResult, demo, sample_paths
from junheng.api.documents import (
    ExtractFailure,
    IngestItem,
    IngestReport,
    ReanalyseReport,
    document_json,
    extract,
    ingest,
    pipeline_for,
    reanalyse,
    upgrade,
)
from junheng.api.exports import ExportResult, export
from junheng.api.measures import add_lexicon, discover_terms, export_lexicon, list_measures
from junheng.api.query import SearchResult, search
from junheng.api.tables import (
    compare,
    evidence,
    make_filters,
    matrix,
    timeline,
    top_measures,
    trend,
)

__all__ = [
    "DEMO_DB",
    "DemoResult",
    "ExportResult",
    "ExtractFailure",
    "IngestItem",
    "IngestReport",
    "ReanalyseReport",
    "SearchResult",
    "add_lexicon",
    "compare",
    "demo",
    "discover_terms",
    "document_json",
    "evidence",
    "export",
    "export_lexicon",
    "extract",
    "ingest",
    "list_measures",
    "make_filters",
    "matrix",
    "pipeline_for",
    "reanalyse",
    "sample_paths",
    "search",
    "timeline",
    "top_measures",
    "trend",
    "upgrade",
]

"""Public library functions; each CLI command calls exactly one of them."""

import importlib
from typing import Any

# each name's module, imported on first use: a command loads what it needs, not all of junheng
_MODULES = {
    "DEMO_DB": "demo",
    "DemoResult": "demo",
    "demo": "demo",
    "sample_paths": "demo",
    "ExtractFailure": "documents",
    "IngestItem": "documents",
    "IngestReport": "documents",
    "ReanalyseReport": "documents",
    "document_json": "documents",
    "extract": "documents",
    "ingest": "documents",
    "pipeline_for": "documents",
    "reanalyse": "documents",
    "upgrade": "documents",
    "ExportResult": "exports",
    "export": "exports",
    "add_lexicon": "measures",
    "discover_terms": "measures",
    "export_lexicon": "measures",
    "list_measures": "measures",
    "SearchResult": "query",
    "search": "query",
    "compare": "tables",
    "evidence": "tables",
    "make_filters": "tables",
    "matrix": "tables",
    "timeline": "tables",
    "top_measures": "tables",
    "trend": "tables",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module 'junheng.api' has no attribute {name!r}")
    loaded = importlib.import_module(f"junheng.api.{module}")
    # bind the module's public names here (importing junheng.api.demo binds ``demo`` to the
    # module; the function must win)
    for other, where in _MODULES.items():
        if where == module:
            globals()[other] = getattr(loaded, other)
    return globals()[name]


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

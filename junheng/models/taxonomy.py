"""The strategy taxonomy (label contract): 13 strategies and 5 policy-instrument types."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from junheng.errors import TaxonomyError, invalid_value_msg


@dataclass(frozen=True, slots=True)
class Strategy:
    id: str
    name_zh: str
    name_en: str
    definition_zh: str
    subcategories: tuple[tuple[str, str], ...]
    cues: tuple[str, ...]
    official_links: tuple[tuple[str, str], ...]
    confusable_with: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Instrument:
    id: str
    name_zh: str
    definition_zh: str
    cues: tuple[str, ...]


class Taxonomy:
    """Validated taxonomy; lookups of unknown ids raise ``TaxonomyError``."""

    def __init__(
        self,
        strategies: Iterable[Strategy],
        instruments: Iterable[Instrument],
        frameworks: list[dict[str, Any]] | None = None,
        version: int = 1,
    ) -> None:
        self.strategies: dict[str, Strategy] = {}
        for s in strategies:
            if s.id in self.strategies:
                raise TaxonomyError(f"duplicate strategy id {s.id!r}")
            self.strategies[s.id] = s
        self.instruments: dict[str, Instrument] = {i.id: i for i in instruments}
        self.frameworks = frameworks or []
        self.version = version
        self.short_labels: dict[str, str] = {}

    def short_name(self, strategy_id: str) -> str:
        """A 2–5 character Chinese label for table headers (falls back to ``name_zh``)."""
        return self.short_labels.get(strategy_id) or self.strategy(strategy_id).name_zh

    @property
    def strategy_ids(self) -> list[str]:
        return list(self.strategies)

    @property
    def instrument_ids(self) -> list[str]:
        return list(self.instruments)

    def strategy(self, strategy_id: str) -> Strategy:
        try:
            return self.strategies[strategy_id]
        except KeyError:
            raise TaxonomyError(
                invalid_value_msg("strategy id", strategy_id, self.strategies)
            ) from None

    def instrument(self, instrument_id: str) -> Instrument:
        try:
            return self.instruments[instrument_id]
        except KeyError:
            raise TaxonomyError(
                invalid_value_msg("instrument id", instrument_id, self.instruments)
            ) from None

    def check_strategies(self, ids: Iterable[str]) -> list[str]:
        """Return ``ids`` as a list, raising on the first unknown one."""
        return [self.strategy(i).id for i in ids]


def _pairs(items: Iterable[Any], a: str, b: str) -> tuple[tuple[str, str], ...]:
    return tuple((str(x.get(a, "")), str(x.get(b, ""))) for x in items or () if isinstance(x, dict))


def parse_taxonomy(data: Any, *, origin: str = "taxonomy") -> Taxonomy:
    """Build a ``Taxonomy`` from the parsed YAML, validating its structure and references."""
    if not isinstance(data, dict) or not isinstance(data.get("strategies"), list):
        raise TaxonomyError(f"{origin}: expected a mapping with a 'strategies' list")
    strategies = []
    for i, s in enumerate(data["strategies"]):
        if not isinstance(s, dict) or not s.get("id") or not s.get("name_zh"):
            raise TaxonomyError(f"{origin}: strategy #{i} needs 'id' and 'name_zh'")
        strategies.append(
            Strategy(
                id=str(s["id"]),
                name_zh=str(s["name_zh"]),
                name_en=str(s.get("name_en", "")),
                definition_zh=str(s.get("definition_zh", "")),
                subcategories=_pairs(s.get("subcategories"), "id", "name_zh"),
                cues=tuple(str(c) for c in s.get("indicative_measures") or ()),
                official_links=_pairs(s.get("official_links"), "framework", "dimension"),
                confusable_with=_pairs(s.get("confusable_with"), "id", "note"),
            )
        )
    inst = data.get("instruments") or {}
    instruments = [
        Instrument(
            str(t["id"]),
            str(t.get("name_zh", "")),
            str(t.get("definition_zh", "")),
            tuple(str(c) for c in t.get("cues") or ()),
        )
        for t in inst.get("types") or ()
    ]
    taxonomy = Taxonomy(
        strategies, instruments, data.get("frameworks") or [], int(data.get("version", 1))
    )
    for s in taxonomy.strategies.values():
        for other, _ in s.confusable_with:
            if other not in taxonomy.strategies:
                raise TaxonomyError(
                    f"{origin}: {s.id} lists unknown confusable "
                    + invalid_value_msg("strategy id", other, taxonomy.strategies)
                )
    return taxonomy


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """The shipped taxonomy, or the YAML file at ``path``."""
    try:
        if path is None:
            text = resources.files("junheng").joinpath("data/taxonomy.yaml").read_text("utf-8")
        else:
            text = Path(path).read_text("utf-8")
        # the C loader when PyYAML has it (10× faster: every command reads the taxonomy)
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as exc:
        raise TaxonomyError(f"cannot read taxonomy {path or 'data/taxonomy.yaml'}: {exc}") from None
    taxonomy = parse_taxonomy(data, origin=str(path or "taxonomy.yaml"))
    labels = resources.files("junheng").joinpath("data/strategy_labels.tsv").read_text("utf-8")
    for line in labels.splitlines()[1:]:
        sid, _, short = line.partition("\t")
        if sid in taxonomy.strategies and short:
            taxonomy.short_labels[sid] = short
    return taxonomy

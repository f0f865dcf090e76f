"""Settings: shipped defaults < user TOML < JUNHENG_* environment < explicit overrides."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any

from junheng.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable, built once and passed explicitly to the stages that need it."""

    db: str = "junheng.db"
    cache_dir: str = ""
    batch_size: int = 32
    lock_timeout: float = 5.0
    region_min_confidence: float = 0.5
    strategy_threshold: float = 0.5
    embedder: str = "default"
    # "default": the trained models `junheng models build` makes (the rules when none is
    # built); "lexicon.v1": the lexicon rules alone
    classifier: str = "default"

    @property
    def cache_path(self) -> Path:
        """The cache folder (created on first use by whoever writes to it)."""
        if self.cache_dir:
            return Path(self.cache_dir).expanduser()
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "junheng"

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with the given non-``None`` values replaced."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


_FLAT = {
    ("db",): "db",
    ("cache_dir",): "cache_dir",
    ("batch_size",): "batch_size",
    ("lock_timeout",): "lock_timeout",
    ("regions", "min_confidence"): "region_min_confidence",
    ("classifier", "threshold"): "strategy_threshold",
    ("classifier", "model"): "classifier",
    ("embedder",): "embedder",
}
_ENV = {
    "JUNHENG_DB": "db",
    "JUNHENG_CACHE_DIR": "cache_dir",
    "JUNHENG_BATCH_SIZE": "batch_size",
    "JUNHENG_EMBEDDER": "embedder",
    "JUNHENG_CLASSIFIER": "classifier",
}
CLASSIFIERS = ("default", "lexicon.v1")


def _flatten(data: dict[str, Any], origin: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, name in _FLAT.items():
        node: Any = data
        for key in path:
            if not isinstance(node, dict) or key not in node:
                break
            node = node[key]
        else:
            out[name] = node
    known = {p[0] for p in _FLAT}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"{origin}: unknown setting(s) {', '.join(unknown)}")
    return out


def _coerce(values: dict[str, Any], origin: str) -> dict[str, Any]:
    types = {f.name: f.type for f in fields(Settings)}
    out: dict[str, Any] = {}
    for name, value in values.items():
        kind = {"str": str, "int": int, "float": float}[str(types[name])]
        try:
            out[name] = kind(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{origin}: {name} must be {kind.__name__}, got {value!r}") from None
    return out


def load_settings(config_file: str | os.PathLike[str] | None = None, **overrides: Any) -> Settings:
    """Build ``Settings`` from the layers; ``overrides`` with value ``None`` are ignored."""
    defaults = tomllib.loads(
        resources.files("junheng").joinpath("defaults.toml").read_text("utf-8")
    )
    values = _flatten(defaults, "defaults.toml")
    path = config_file or os.environ.get("JUNHENG_CONFIG")
    if not path:
        user = Path.home() / ".config" / "junheng" / "config.toml"
        path = user if user.is_file() else None
    if path:
        try:
            data = tomllib.loads(Path(path).read_text("utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read settings file {path}: {exc}") from None
        values.update(_flatten(data, str(path)))
    for var, name in _ENV.items():
        if os.environ.get(var):
            values[name] = os.environ[var]
    values.update({k: v for k, v in overrides.items() if v is not None})
    settings = Settings(**_coerce(values, "settings"))
    from junheng.models.embed import validate_spec  # light: loads no model

    validate_spec(settings.embedder)
    if settings.classifier not in CLASSIFIERS:
        from junheng.errors import invalid_value_msg

        raise ConfigError(invalid_value_msg("classifier", settings.classifier, CLASSIFIERS))
    return settings

"""What every quality gate shares: its pinned floors and the tolerance they are read with."""

import json
from pathlib import Path
from typing import Any

EPSILON = 0.005  # figures may wobble this much (float sums, ties) without failing a gate


def baseline(name: str) -> dict[str, Any]:
    """``tests/eval/baseline_<name>.json``."""
    return json.loads((Path(__file__).parent / f"baseline_{name}.json").read_text("utf-8"))


def value_at(scores: dict[str, Any], dotted: str) -> Any:
    """``scores["a"]["b"]`` for ``"a.b"``."""
    node = scores
    for key in dotted.split("."):
        node = node[key]
    return node

"""The synthetic national corpus of ``benchmarks/scale.py``: real report text recombined into
distinct documents with their place names swapped.

Sources: the bundled sample reports and the development excerpts of
``../shared/dev/reports_gold.jsonl`` (never the test split: items whose id number is divisible
by 5 are skipped on their id alone). A document is two to five blocks — a gold excerpt, or a run
of paragraphs of a sample report — whose county, city and province names are replaced by those
of a county drawn from the gazetteer, with a publication date between 2012 and 2024. The same
seed gives the same documents, written as ``.jsonl`` parts of about ``PART_SENTENCES`` sentences.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT.parent / "shared" / "dev" / "reports_gold.jsonl"
GENERATOR_VERSION = "1"
PART_SENTENCES = 10_000
_ID = re.compile(r'^\{"id":\s*"[a-z]*(\d+)"')


@dataclass(frozen=True, slots=True)
class Block:
    paragraphs: tuple[str, ...]
    title: str | None


def _gold_blocks() -> list[Block]:
    """Development excerpts (test-split lines are skipped by their id, before parsing)."""
    blocks = []
    if not GOLD.is_file():
        return blocks
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        m = _ID.match(line)
        if m is None or int(m.group(1)) % 5 == 0:
            continue
        item = json.loads(line)
        paras = tuple(p.strip() for p in item["text"].splitlines() if p.strip())
        if paras:
            blocks.append(Block(paras, None))
    return blocks


def _sample_blocks() -> list[Block]:
    """Runs of up to 12 paragraphs of each bundled sample report."""
    from junheng.api import sample_paths

    blocks = []
    for path in sample_paths():
        lines = [p.strip() for p in path.read_text(encoding="utf-8").splitlines() if p.strip()]
        title = lines[0] if lines else None
        for k in range(0, len(lines), 12):
            blocks.append(Block(tuple(lines[k : k + 12]), title))
    return blocks


class Generator:
    """Deterministic synthetic documents (seeded)."""

    def __init__(self, seed: int = 13) -> None:
        from junheng.nlp.gazetteer import load_gazetteer
        from junheng.nlp.sentences import split_sentences

        self.split = split_sentences
        self.rng = random.Random(seed)
        gazetteer = load_gazetteer()
        self.counties = [r for r in gazetteer.regions if r.level == "county"]
        full = {
            name: entries[0].region
            for name, entries in gazetteer.names.items()
            if len(name) >= 3 and any(e.kind == "full" for e in entries)
        }
        self.level = {name: region.level for name, region in full.items()}
        self.names = re.compile("|".join(map(re.escape, sorted(full, key=len, reverse=True))))
        self.blocks = _gold_blocks() + _sample_blocks()
        if not self.blocks:
            raise SystemExit("no source text found (bundled sample missing?)")
        self.seen: set[int] = set()
        self.count = 0

    def _swap(self, text: str, mapping: dict[str, str], target: object) -> str:
        def repl(m: re.Match[str]) -> str:
            name = m.group(0)
            if name not in mapping:
                level = self.level[name]
                if level == "county":
                    first = not any(self.level.get(k) == "county" for k in mapping)
                    mapping[name] = (
                        target.county  # type: ignore[attr-defined]
                        if first
                        else self.rng.choice(self.counties).county
                    )
                elif level == "city":
                    mapping[name] = target.city or target.province  # type: ignore[attr-defined]
                else:
                    mapping[name] = target.province  # type: ignore[attr-defined]
            return mapping[name]

        return self.names.sub(repl, text)

    def document(self) -> tuple[dict[str, str], int]:
        """One new document (a JSON-lines object) and its number of sentences."""
        while True:
            rng = self.rng
            target = rng.choice(self.counties)
            mapping: dict[str, str] = {}
            parts = []
            title = None
            for block in rng.sample(self.blocks, rng.randint(2, 5)):
                paras = list(block.paragraphs)
                if len(paras) > 3 and rng.random() < 0.5:  # a shorter run
                    start = rng.randrange(len(paras) - 2)
                    paras = paras[start : start + rng.randint(3, len(paras) - start)]
                title = title or block.title
                # the block's first county speaks as the document's county
                parts.extend(self._swap(p, mapping, target) for p in paras)
            text = "\n\n".join(parts)
            key = hash(text)
            if key in self.seen:
                continue
            self.seen.add(key)
            self.count += 1
            year = rng.randint(2012, 2024)
            doc = {
                "title": self._swap(title, mapping, target)
                if title
                else f"{target.county}扎实推进义务教育优质均衡发展",
                "published": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "source": f"{target.county}教育局",
                "url": f"http://jyj.example.gov.cn/{self.count}.html",
                "text": text,
            }
            return doc, len(self.split(text))


def write_parts(folder: Path, sentences: int, *, seed: int = 13) -> list[tuple[Path, int]]:
    """Parts of about ``PART_SENTENCES`` sentences up to ``sentences`` in all: (path, sentences)
    each; parts already written by the same generator and seed are reused."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = folder / "manifest.json"
    state = {"version": GENERATOR_VERSION, "seed": seed, "parts": []}
    if manifest.is_file():
        old = json.loads(manifest.read_text())
        if old.get("version") == GENERATOR_VERSION and old.get("seed") == seed:
            state = old
    parts = [(folder / name, n) for name, n in state["parts"]]
    total = sum(n for _, n in parts)
    if total >= sentences:
        out, acc = [], 0
        for path, n in parts:
            if acc >= sentences:
                break
            out.append((path, n))
            acc += n
        return out
    gen = Generator(seed)
    # regenerate the documents already written so the sequence continues where it stopped
    for path, _ in parts:
        for _ in path.read_text(encoding="utf-8").splitlines():
            gen.document()
    while total < sentences:
        path = folder / f"part-{len(parts):04d}.jsonl"
        n = 0
        with path.open("w", encoding="utf-8") as fh:
            while n < PART_SENTENCES:
                doc, k = gen.document()
                fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
                n += k
        parts.append((path, n))
        total += n
        state["parts"] = [(p.name, k) for p, k in parts]
        manifest.write_text(json.dumps(state))
    return parts

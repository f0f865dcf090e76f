"""Place-name recognition over segmented text: gazetteer names aligned to word boundaries,
short forms checked against document context, and self-reference markers (全县, 该市, 区委)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from itertools import accumulate

from junheng.nlp.gazetteer import Gazetteer, NameEntry
from junheng.records import PlaceMention, Region

# Short forms that are ordinary words at least this often in jieba's dictionary are not taken
# as places (资源 for 资源县, 合作 for 合作市, 朝阳 for 朝阳区).
COMMON_WORD_FREQ = 300
# Short forms rarer than this are taken even without supporting context in the document.
RARE_SHORT_FREQ = 100
MAX_NAME_TOKENS = 5

# Self-references that tell which kind of unit a passage is about.
STRONG_MARKER = re.compile(
    r"(?<!非)(?:我|该|本)([市县区旗州])(?![场长]|户籍|户口|居住|职工|常住|以外|之外)|([市县区旗州])(?:委|政府|人民政府|人大|政协|教育局|教体局|直)"
    r"|教育强([市县区])|(?<![城都])([市县区])(?:里(?![程面])|属(?:学校|中小学|小学|初中|中学))"
)
WEAK_MARKER = re.compile(
    r"(?<![在居获列位于])全([市县区旗州])(?![场第前率排])|(?:示范|创新|先进|实验)([县区市])(?![场长])"
)
# a short name right before its own institutions or zones is a place (长沙高新区, 浏阳市委)
INSTITUTION_AFTER = re.compile(
    r"^(?:高新区|高新技术产业开发区|经开区|经济技术开发区|开发区|新区|教育局|教体局|教育和体育局|"
    r"市委|县委|区委|人民政府|市政府|县政府|区政府)"
)
# the name of a body that publishes or signs reports (县教育局, 省教育厅, 市政府办公室, 第一中学)
ISSUER = re.compile(r"(?:局|厅|委|委员会|政府|办公室|办|中心|学校|学院|小学|中学)$")
SUFFIX_OF_LEVEL = {
    "省": "省",
    "市": "市",
    "县": "县",
    "区": "区",
    "旗": "旗",
    "州": "州",
    "盟": "盟",
}


# Short forms of prefecture-level cities are places in running text (温州, 张家口, 银川), however
# often jieba's dictionary counts them; these few are ordinary words first (阿里巴巴, 日照时间).
ORDINARY_CITY_SHORTS = frozenset(
    "阿里 日照 白银 安康 大同 黄山 北海 山南 长治 平安 东方 吉林 海南 中山 白山 来宾 兴安 三明 "
    "普洱 海西".split()
)

# one character between two items of a list of places
LIST_ITEM_JOINER = re.compile(r"[、和及]")

# Generic names that are ordinary words far more often than places: a named city is not
# enough to take them (新城区学校, 开发区建设); only 阳泉市城区 is.
ORDINARY_AREAS = frozenset(
    "城区 郊区 矿区 新区 新城区 老城区 高新区 开发区 经开区 示范区 东区 西区 南区 北区 中区 "
    "城中区 城东区 城西区 城南区 城北区".split()
)


class Tokens:
    """Token texts with their start offsets (``starts`` has one extra entry: the text length)."""

    __slots__ = ("starts", "words")

    def __init__(self, words: Sequence[str]) -> None:
        self.words = list(words)
        self.starts = [0, *accumulate(map(len, self.words))]

    def __len__(self) -> int:
        return len(self.words)


def markers(text: str) -> tuple[set[str], set[str]]:
    """Strong and weak self-reference markers in ``text`` as unit suffixes (市, 县, 区 …)."""
    strong = {next(g for g in m.groups() if g) for m in STRONG_MARKER.finditer(text)}
    weak = {next(g for g in m.groups() if g) for m in WEAK_MARKER.finditer(text)}
    return strong, weak


def unit_suffix(region: Region) -> str:
    """The unit word a region's own texts use for themselves (县 for 芷江侗族自治县)."""
    name = region.name
    if name.endswith("自治区") and region.level == "province":
        return "区"
    if name.endswith("特别行政区"):
        return "区"
    return SUFFIX_OF_LEVEL.get(name[-1], name[-1])


class PlaceRecognizer:
    """Finds place mentions in a tokenised text.

    Args:
        gazetteer: the national gazetteer.
        word_freq: frequency of a word in the general dictionary.
        is_common_word: whether a word at a frequency threshold is an ordinary word (not a place).
    """

    def __init__(
        self,
        gazetteer: Gazetteer,
        word_freq: Callable[[str], int],
        is_common_word: Callable[[str, int], bool] | None = None,
    ) -> None:
        self.gazetteer = gazetteer
        self.word_freq = word_freq
        self.is_common_word = is_common_word or (lambda w, t: word_freq(w) >= t)
        self._parent_names: dict[str, tuple[str, ...]] = {}  # adcode → its parent's names
        self._prefixes = frozenset(n[:k] for n in gazetteer.names for k in range(1, len(n) + 1))
        self._generic_shorts = {
            short
            for name in gazetteer.generic
            for entry in gazetteer.lookup(name)
            for short in gazetteer.short_forms(entry.region)
        }

    def candidates(self, tokens: Tokens) -> list[tuple[int, int, list[NameEntry]]]:
        """Leftmost-longest token runs that spell a gazetteer name: ``(first, last+1, entries)``."""
        out = []
        i = 0
        words = tokens.words
        n = len(words)
        names = self.gazetteer.names
        prefixes = self._prefixes
        while i < n:
            best = None
            surface = ""
            for j in range(i, min(n, i + MAX_NAME_TOKENS)):
                surface += words[j]
                if surface not in prefixes:
                    break
                if surface in names:
                    best = (i, j + 1, names[surface])
            if best:
                out.append(best)
                i = best[1]
            else:
                i += 1
        return out

    def find(
        self,
        tokens: Tokens,
        *,
        context: Iterable[Region] = (),
    ) -> list[PlaceMention]:
        """Resolved place mentions; ``context`` regions (site hint, title) help resolve names."""
        cands = self.candidates(tokens)
        kept: list[tuple[int, int, list[NameEntry]]] = []
        bare: list[tuple[int, int, list[NameEntry]]] = []  # 和平区 without its city before it
        for a, b, entries in cands:
            name = entries[0].name
            if name in self.gazetteer.generic:
                prev = "".join(tokens.words[max(0, a - 2) : a])
                named = [e for e in entries if self._parent_named(e.region, prev)]
                if not named and name not in ORDINARY_AREAS:
                    bare.append((a, b, [e for e in entries if e.kind == "full"]))
                entries = named
            # a derived former name whose stem is a common word (新建县 from 新建区: 新建县城…)
            # needs the same support as a short form
            entries = [
                replace(e, kind="short")
                if e.kind == "former"
                and len(e.name) > 2
                and self.word_freq(e.name[:-1]) >= COMMON_WORD_FREQ
                else e
                for e in entries
            ]
            short = [e for e in entries if e.kind == "short"]
            city_short = self._city_short(name, entries)
            if (
                short
                and not city_short
                and (self.is_common_word(name, COMMON_WORD_FREQ) or name in self._generic_shorts)
            ):
                entries = [e for e in entries if e.kind == "full"]
            outer = self._written_inside(tokens, a)
            if outer is not None:  # 南京市江北新区 is no 宁波's 江北区 by a former name
                entries = [e for e in entries if e.kind == "full" or outer.contains(e.region)]
            if entries:
                kept.append((a, b, entries))
        # A name written after its parent's (南京市鼓楼区) is that region; elsewhere in the text
        # the bare name (鼓楼区) means the same one.
        qualified: set[str] = set()
        for k, (a, b, entries) in enumerate(kept):
            prev = "".join(tokens.words[max(0, a - 2) : a])
            named = [e for e in entries if self._parent_named(e.region, prev)]
            if len({e.region.adcode for e in named}) == 1:
                kept[k] = (a, b, named)
                qualified.add(named[0].region.adcode)
        last: dict[str, str] = {}  # name → adcode of its latest qualified mention
        for k, (a, b, entries) in enumerate(kept):
            same = [e for e in entries if e.region.adcode in qualified]
            codes = {e.region.adcode for e in same}
            if len(codes) > 1:  # named under two parents: the latest one before counts
                code = last.get(entries[0].name)
                same = [e for e in same if e.region.adcode == code]
                codes = {code} if same else set()
            if len(codes) == 1:
                kept[k] = (a, b, same)
                last[entries[0].name] = same[0].region.adcode
        # Context: regions named unambiguously by full names, plus the caller's context.
        known: list[Region] = list(context)
        for _, _, entries in kept:
            if len(entries) == 1 and entries[0].kind != "short":
                known.append(entries[0].region)
        provinces = {r.province for r in known}
        cities = {(r.province, r.city) for r in known if r.city}
        # a name that is also an ordinary word, inside a city the text names (城关区 in a report
        # of 拉萨市教育局)
        for a, b, entries in bare:
            inside = [e for e in entries if (e.region.province, e.region.city) in cities]
            if len({e.region.adcode for e in inside}) == 1:
                kept.append((a, b, inside))
        kept.sort(key=lambda c: c[0])
        mentions = []
        for a, b, entries in kept:
            region = self._resolve(entries, provinces, cities)
            if region is None:
                continue
            kinds = {e.kind for e in entries if e.region == region}
            kind = "full" if "full" in kinds else "former" if "former" in kinds else "short"
            unsupported = region.level != "province" and region.province not in provinces
            following = "".join(tokens.words[b : b + 2])
            if (
                kind == "short"
                and unsupported
                and not (
                    INSTITUTION_AFTER.match(following)
                    and self.word_freq(entries[0].name) < COMMON_WORD_FREQ
                )
                and not (region.level == "city" and self._city_short(entries[0].name, entries))
                and (provinces or self.word_freq(entries[0].name) >= RARE_SHORT_FREQ)
            ):
                continue
            if kind == "former" and region.level == "county":
                # named as the text writes it (新津县, 江干区): the unit of the time it describes
                region = replace(region, county=entries[0].name)
            start, end = tokens.starts[a], tokens.starts[b]
            mentions.append(PlaceMention(entries[0].name, region, start, end, kind))
        return self._complete_lists(tokens, cands, mentions)

    def _complete_lists(
        self,
        tokens: Tokens,
        cands: list[tuple[int, int, list[NameEntry]]],
        mentions: list[PlaceMention],
    ) -> list[PlaceMention]:
        """Names left out as ordinary words or as ambiguous, taken where they are items of a
        list of places of one city (长安、户县、周至、临潼、蓝田、高陵和灞桥区): the list says what
        kind of word they are and where."""
        by_start = {m.start: m for m in mentions}
        by_end = {m.end: m for m in mentions}
        pending = [
            (tokens.starts[a], tokens.starts[b], entries)
            for a, b, entries in cands
            if tokens.starts[a] not in by_start
        ]
        text = "".join(tokens.words)
        added = True
        while added and pending:
            added = False
            for item in list(pending):
                start, end, entries = item
                neighbours = [
                    m for m in (by_end.get(start - 1), by_start.get(end + 1)) if m is not None
                ]
                neighbours = [
                    m
                    for m in neighbours
                    if LIST_ITEM_JOINER.fullmatch(
                        text[m.end : start] if m.end <= start else text[end : m.start]
                    )
                ]
                for m in neighbours:
                    parent = m.region.at("city") or m.region.at("province")
                    fits = {
                        e.region.adcode: e.region
                        for e in entries
                        if parent is not None
                        and e.region.level == m.region.level
                        and parent.contains(e.region)
                    }
                    if len(fits) == 1:
                        (region,) = fits.values()
                        found = PlaceMention(entries[0].name, region, start, end, "listed")
                        mentions.append(found)
                        by_start[start], by_end[end] = found, found
                        pending.remove(item)
                        added = True
                        break
        return sorted(mentions, key=lambda m: m.start)

    def _written_inside(self, tokens: Tokens, a: int) -> Region | None:
        """The city or province whose full name is written right before token ``a``."""
        for k in (1, 2):
            if a - k < 0:
                break
            regions = {
                e.region.adcode: e.region
                for e in self.gazetteer.lookup("".join(tokens.words[a - k : a]))
                if e.kind == "full" and e.region.level != "county"
            }
            if len(regions) == 1:
                return next(iter(regions.values()))
        return None

    @staticmethod
    def _city_short(name: str, entries: list[NameEntry]) -> bool:
        """The short form of one prefecture-level city that is not an ordinary word first
        (长沙 also names 长沙县, inside that city: still the city's short form)."""
        cities = [e.region for e in entries if e.kind == "short" and e.region.level == "city"]
        return (
            name not in ORDINARY_CITY_SHORTS
            and len(cities) == 1
            and all(cities[0].contains(e.region) for e in entries)
        )

    def _parent_named(self, region: Region, before: str) -> bool:
        names = self._parent_names.get(region.adcode)
        if names is None:
            parent = self.gazetteer.parent(region)
            names = (parent.name, *self.gazetteer.short_forms(parent)) if parent else ()
            self._parent_names[region.adcode] = names
        return any(before.endswith(n) for n in names)

    @staticmethod
    def _resolve(
        entries: list[NameEntry], provinces: set[str], cities: set[tuple[str, str]]
    ) -> Region | None:
        regions = list({e.region.adcode: e.region for e in entries}.values())
        if len(regions) > 1:
            in_city = [r for r in regions if (r.province, r.city) in cities]
            in_prov = [r for r in regions if r.province in provinces]
            regions = in_city or in_prov or regions
        if len(regions) > 1:
            # nested candidates (邵阳 → 邵阳市 / 邵阳县): the higher unit is meant
            tops = [r for r in regions if not any(o is not r and o.contains(r) for o in regions)]
            if len(tops) == 1 and all(tops[0].contains(r) for r in regions):
                return tops[0]
            return None
        return regions[0] if regions else None

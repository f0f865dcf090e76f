"""Functional zones (开发区, 高新区, 新区 …) as places: they run schools like counties do.

A zone is named in three ways, all resolved to a zone region under its city:

* after its city's name, full or short: 武汉经济技术开发区, 长沙高新区, 赣州蓉江新区 (the name as
  written), 铜仁市大龙经济开发区 (大龙经济开发区 in 铜仁市);
* with a two-character name of its own inside a one-city text: 郑东新区 in a 郑州 report;
* bare, where a place is expected (the head of a sentence, an item of a list) inside a one-city
  text: 经开区有5所新建小学… in a 郑州 report is 郑州经开区.

Zones have no national code: each gets a stable code under its city's (``4101Z…``).
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from junheng.nlp.gazetteer import Gazetteer
from junheng.records import PlaceMention, Region

SUFFIX = (
    r"(?:航空港经济综合实验区|经济技术开发区|高新技术产业开发区|高新技术开发区|经济开发区|"
    r"综合实验区|保税区|航空港区|高新区|经开区|开发区|新区)"
)
# written right after a city or county name (the name as written: 长沙高新区)
AFTER_PLACE = re.compile(r"(?:[\u4e00-\u9fff]{2,4}?)?" + SUFFIX)
# zones without a place before them count only as items of a list, an enumeration or a labelled
# paragraph, where a place is expected (…、经开区、…; 经开区48名; 郑东新区有2所…; 横琴新区：…):
# elsewhere 新区学校 and 开发区 are as often ordinary words, or the report's own county's zone
ITEM_END = r"(?:、|[:：]|有?\d)"
ITEM_BEFORE = (
    r"(?:(?<=[、])|(?:^|(?<=[，,；;。:：\s]))(?=[\u4e00-\u9fff]{0,2}" + SUFFIX + ITEM_END + r"))"
)
NAMED = re.compile(
    ITEM_BEFORE + r"([\u4e00-\u9fff]{2})" + SUFFIX + r"(?=" + ITEM_END + r"|[，,；;。])"
)
BARE = re.compile(ITEM_BEFORE + SUFFIX + r"(?=" + ITEM_END + r"|[，,；;。])")
SUFFIX_RX = re.compile(SUFFIX)
# a zone followed by the county it is (乌鲁木齐高新区（新市区）)
QUALIFIED = re.compile(r"\s*[(（][\u4e00-\u9fff]{1,8}[区县市旗][)）]")
# zone words for one kind of zone, so that 武汉经开区 is 武汉经济技术开发区
CANONICAL = {
    "经开区": "经济技术开发区",
    "高新区": "高新技术产业开发区",
    "高新技术开发区": "高新技术产业开发区",
    "航空港区": "航空港经济综合实验区",
}
# how often (jieba dictionary) a zone's own name may be an ordinary word and still be a name
MAX_NAME_FREQ = 200
_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def zone_code(city: Region, name: str) -> str:
    """A stable code for a zone under ``city``: the city's first four digits, ``Z``, a hash of
    its name with the zone word in one form (武汉经开区 and 武汉经济技术开发区 are one)."""
    for short, full in CANONICAL.items():
        if name.endswith(short):
            name = name[: -len(short)] + full
            break
    n = zlib.crc32(name.encode("utf-8"))
    tail = ""
    for _ in range(4):
        n, r = divmod(n, 36)
        tail += _BASE36[r]
    return f"{city.adcode[:4]}Z{tail}"


class ZoneRecognizer:
    """Zone mentions in a text, given the place mentions already found there.

    Args:
        gazetteer: the national gazetteer (zone regions are registered in it by code).
        word_freq: frequency of a word in the general dictionary; a zone's own name is not an
            ordinary word (大力发展新区 is no zone).
    """

    def __init__(self, gazetteer: Gazetteer, word_freq: Callable[[str], int]) -> None:
        self.gazetteer = gazetteer
        self.word_freq = word_freq

    def zone(self, city: Region, name: str) -> Region:
        """The zone region ``name`` under ``city`` (registered in the gazetteer by its code)."""
        region = Region(city.province, city.city, name, zone_code(city, name))
        self.gazetteer.by_adcode.setdefault(region.adcode, region)
        return region

    def find(
        self, text: str, mentions: Sequence[PlaceMention], context: Iterable[Region] = ()
    ) -> list[PlaceMention]:
        """Place mentions with the zones added; mentions a zone's name covers are dropped."""
        zones: list[PlaceMention] = []
        taken: list[tuple[int, int]] = []
        home = self._home_city(mentions, context)
        for m in [*mentions, *self._glued(text, mentions, home)]:
            # 长沙高新区, 赣州蓉江新区, 铜仁市大龙经济开发区, 成都市高新区
            city = _city_of(self.gazetteer, m.region) if m.region.level == "city" else None
            tail = AFTER_PLACE.match(text, m.end)
            if (
                city is None
                or tail is None
                or self._known(text[m.start : tail.end()])
                or self._known(tail.group())  # 天津滨海新区: a county of its own
                or QUALIFIED.match(text, tail.end())  # 乌鲁木齐高新区（新市区）: the county
            ):
                continue
            suffix = re.search(SUFFIX + "$", tail.group())
            own = tail.group()[: suffix.start()] if suffix else ""
            if own and not self._name_ok(own):
                continue
            full_city = m.region.level == "city" and m.surface == m.region.city
            if full_city and own:
                start, name = m.end, tail.group()  # 铜仁市大龙经济开发区 → 大龙经济开发区
            elif full_city:
                start, name = m.start, _short(self.gazetteer, city) + tail.group()
            else:
                start, name = m.start, text[m.start : tail.end()]
            zones.append(PlaceMention(name, self.zone(city, name), start, tail.end(), "zone"))
            taken.append((m.start, tail.end()))
        for rx in (NAMED, BARE):
            for found in rx.finditer(text):
                a, b = found.span()
                surface = text[a:b]
                if (
                    any(x < b and a < y for x, y in taken)
                    or any(m.start < b and a < m.end for m in mentions)
                    or self._known(surface)
                    or QUALIFIED.match(text, b)
                ):
                    continue
                if rx is NAMED and not self._name_ok(found.group(1)):
                    continue
                if rx is BARE and any(m.region.name.endswith(surface) for m in mentions):
                    continue  # 新区教体局 in a 滨海新区 text: that 新区
                city = self._city_before(text, a, mentions) or home
                if city is None:
                    continue
                name = surface if rx is NAMED else _short(self.gazetteer, city) + surface
                zones.append(PlaceMention(surface, self.zone(city, name), a, b, "zone"))
                taken.append((a, b))
        if not zones:
            return list(mentions)
        names: dict[str, str] = {}  # one name per zone in a text: the longest written
        for z in zones:
            if len(z.region.county) > len(names.get(z.region.adcode, "")):
                names[z.region.adcode] = z.region.county
        zones = [replace(z, region=replace(z.region, county=names[z.region.adcode])) for z in zones]
        kept = [m for m in mentions if not any(x <= m.start and m.end <= y for x, y in taken)]
        if any(m.region.level == "county" for m in mentions if m not in kept):
            return list(mentions)  # never at the cost of a county the text names
        return sorted([*kept, *zones], key=lambda m: m.start)

    def _glued(
        self, text: str, mentions: Sequence[PlaceMention], home: Region | None
    ) -> list[PlaceMention]:
        """Place names that the segmenter glued to a zone word (武汉经济技术开发区 is one
        token), resolved inside the text's city when the name is ambiguous. Only the few
        characters before each zone word are looked up."""
        out = []
        seen: set[int] = set()
        names = self.gazetteer.names
        for z in SUFFIX_RX.finditer(text):
            for own in range(0, 5):  # the zone's own name between place and zone word
                b = z.start() - own
                found = next(
                    (
                        (b - size, text[b - size : b])
                        for size in range(8, 1, -1)
                        if b - size >= 0 and text[b - size : b] in names
                    ),
                    None,
                )
                if found is None:
                    continue
                a, name = found
                if a in seen or any(m.start < b and a < m.end for m in mentions):
                    continue
                tail = AFTER_PLACE.match(text, b)
                if tail is None or tail.end() != z.end():
                    continue
                seen.add(a)
                regions = {e.region.adcode: e.region for e in self.gazetteer.lookup(name)}
                if len(regions) > 1 and home is not None:
                    regions = {c: r for c, r in regions.items() if home.contains(r)}
                if len(regions) == 1:
                    (region,) = regions.values()
                    out.append(PlaceMention(name, region, a, b, "zone-parent"))
                break
        return out

    def _city_before(self, text: str, pos: int, mentions: Sequence[PlaceMention]) -> Region | None:
        """The city of the last place named before ``pos`` in the same sentence."""
        stop = max(text.rfind(c, 0, pos) for c in "。！？!?\n")
        before = [m for m in mentions if stop < m.start and m.end <= pos]
        return _city_of(self.gazetteer, before[-1].region) if before else None

    def _known(self, name: str) -> bool:
        return bool(self.gazetteer.lookup(name))

    def _name_ok(self, own: str) -> bool:
        """A zone's own name (蓉江, 大龙, 郑东) is not a word for a kind of area or an
        ordinary word, and is no place name itself."""
        head = own[:2]
        return (
            head not in _NOT_NAMES
            and self.word_freq(head) < MAX_NAME_FREQ
            and not self.gazetteer.lookup(head)
        )

    def _home_city(
        self, mentions: Sequence[PlaceMention], context: Iterable[Region]
    ) -> Region | None:
        """The one city a text is about: of its context and its city and county mentions."""
        votes: Counter[str] = Counter()
        cities: dict[str, Region] = {}
        for region in [*context, *(m.region for m in mentions)]:
            city = _city_of(self.gazetteer, region)
            if city is not None:
                votes[city.adcode] += 1
                cities[city.adcode] = city
        if not votes:
            return None
        (best, n), *rest = votes.most_common()
        if rest and rest[0][1] * 2 > n:
            return None
        return cities[best]


def _city_of(gazetteer: Gazetteer, region: Region) -> Region | None:
    city = region.at("city")
    if city is None:
        return None
    return gazetteer.by_adcode.get(city.adcode, city)


def _short(gazetteer: Gazetteer, city: Region) -> str:
    shorts = gazetteer.short_forms(city)
    return shorts[0] if shorts else city.city


_NOT_NAMES = frozenset(
    "经济 技术 高新 建设 开发 城市 全国 国家 省级 市级 县级 该区 全区 本区 我区 各个 首批 "
    "新区 城区 园区 辖区 综合 示范 试验 实验 保税 工业 产业 科技 航空 临空 自贸 国际".split()
)

"""The place a page's site names: government and school hosts spell their county or city in
pinyin (www.lintong.gov.cn, jyj.changsha.gov.cn, changsha.baogaosu.com).

A host label names a place when it is the full pinyin of the place's short name, alone or with
a usual affix (lintongedu, jylintong); a province's name wins (www.henan.gov.cn is 河南省's, not
河南县's). Labels that several places share are resolved by the places the text itself names
(its province or city), else left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from junheng.nlp.gazetteer import Gazetteer
from junheng.records import Region

AFFIXES = ("edu", "jyj", "jy", "jyt", "gov", "zf", "news", "www")
# labels that are words of the web, not places, whatever they spell
NOT_PLACES = frozenset({"www", "news", "edu", "gov", "mp", "m", "wap", "big5", "en", "cn"})
_LABEL = re.compile(r"^[a-z]{4,}$")


class HostPlaces:
    """Places by the pinyin their sites use; built on first use."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._index: dict[str, list[Region]] | None = None

    @property
    def index(self) -> dict[str, list[Region]]:
        if self._index is None:
            from pypinyin import lazy_pinyin

            index: dict[str, dict[str, Region]] = {}
            for region in self.gazetteer.regions:
                for short in self.gazetteer.short_forms(region):
                    key = "".join(lazy_pinyin(short))
                    if _LABEL.match(key):
                        index.setdefault(key, {})[region.adcode] = region
            self._index = {k: list(v.values()) for k, v in index.items()}
        return self._index

    def place(self, url: str | None, context: Iterable[Region] = ()) -> Region | None:
        """The county or city the site of ``url`` names, if any (``context``: places the text
        names, to choose between places that share a spelling)."""
        if not url:
            return None
        try:
            host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower()
        except ValueError:
            return None
        context = list(context)
        for label in host.split(".")[:-1]:
            if label in NOT_PLACES:
                continue
            for key in _keys(label):
                found = self._choose(self.index.get(key, []), context)
                if found is not None:
                    return found
        return None

    @staticmethod
    def _choose(candidates: list[Region], context: list[Region]) -> Region | None:
        provinces = [r for r in candidates if r.level == "province"]
        if provinces:  # www.henan.gov.cn is the province's, not 河南县's
            return provinces[0]
        if len(candidates) > 1:
            # a city and its county of one name (长沙市/长沙县): the city's site
            tops = [
                r for r in candidates if not any(o is not r and o.contains(r) for o in candidates)
            ]
            if len(tops) == 1 and all(tops[0].contains(r) for r in candidates):
                return tops[0]
            inside = [r for r in candidates if any(c.contains(r) or r.contains(c) for c in context)]
            same = inside or [
                r for r in candidates if any(c.province == r.province for c in context)
            ]
            candidates = same
        return candidates[0] if len(candidates) == 1 else None


def _keys(label: str) -> list[str]:
    """The label, and the label without one usual affix (lintongedu → lintong)."""
    keys = [label]
    for affix in AFFIXES:
        if label.endswith(affix) and len(label) - len(affix) >= 4:
            keys.append(label[: -len(affix)])
        if label.startswith(affix) and len(label) - len(affix) >= 4:
            keys.append(label[len(affix) :])
    return keys

"""Injected spam removal that keeps offsets: brand names put in place of headings and place
names, words inserted every few characters, emoji and Latin letters pushed into words.

Each detector returns deletions (start, end, reason) over the text; they run as a normalisation
step, so everything downstream still reports offsets into the original text, and the deletions
are reported to the user. A spam-vocabulary list is one signal; a deletion also needs evidence
from the page itself: repetition at structural positions (headline end, paragraph start), broken
words that join up again once the insert is gone, or a glyph class (emoji) that has no place in
report text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from importlib import resources

from junheng.records import Removal

__all__ = ["Removal", "SpamCleaner", "load_spam_terms"]

CJK = "\u4e00-\u9fff"
EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\u20e3\U000e0020-\U000e007f]+"
)
LATIN_IN_WORD = re.compile(rf"(?<=[{CJK}])[A-Za-z]{{1,8}}(?=[{CJK}])")
PARAGRAPH_START = re.compile(r"(?:^|\n)[ \t\u3000]*")
# A word inserted again and again: short strings we test for breaking words.
MAX_INSERT = 4
MIN_REPEATS = 3
INSERT_SHARE = 0.3
JUNCTION_FREQ = 50
CJK_WORD = re.compile(f"[{CJK}]+")
CJK_CHAR = re.compile(f"[{CJK}]")
INSERTABLE = re.compile(f"[{CJK}A-Za-z]+")
SPAM_LINE_CHARS = 60
SPAM_LINE_TERMS = 0.4  # share of a short line's characters that spam terms take up


def load_spam_terms() -> list[str]:
    text = resources.files("junheng").joinpath("data/spam_terms.txt").read_text("utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


class SpamCleaner:
    """Finds injected spam in a text.

    Args:
        word_freq: frequency of a word in the general dictionary (0 when unknown).
        terms: spam vocabulary (defaults to the shipped list).
        cut: the word segmenter, for the inserted-word detector.
        is_place: whether a string is a place name; a spam term glued to a place (陵川包养网县)
            takes the place's characters for no part of its name.
    """

    def __init__(
        self,
        word_freq: Callable[[str], int],
        terms: Iterable[str] | None = None,
        cut: Callable[[str], list[str]] | None = None,
        is_place: Callable[[str], bool] | None = None,
    ) -> None:
        self.word_freq = word_freq
        self.cut = cut
        self.is_place = is_place or (lambda s: False)
        self.terms = sorted(
            set(terms if terms is not None else load_spam_terms()), key=len, reverse=True
        )
        self.pattern = re.compile("|".join(re.escape(t) for t in self.terms), re.I)

    # ------------------------------------------------------------ public

    def find(self, text: str, *, title: str | None = None) -> list[tuple[int, int, str]]:
        """Deletions ``(start, end, reason)`` over ``text``, sorted and non-overlapping: emoji,
        Latin letters inside words and spam names. Words inserted every few characters are
        found on the segmented text with ``inserted_words``."""
        found: list[tuple[int, int, str]] = []
        found += [(m.start(), m.end(), "emoji") for m in EMOJI.finditer(text)]
        found += self._latin_in_words(text)
        if self.pattern.search(text) or (title and self.pattern.search(title)):
            found += self._brands(text, title)
        return _disjoint(found)

    def has_spam_terms(self, text: str) -> bool:
        return self.pattern.search(text) is not None

    def looks_broken(self, words: list[str]) -> bool:
        """A cheap first look for inserts: some short segment stands at least twice between two
        single characters that would make a word together (教|包养|育)."""
        return bool(self._candidates(words))

    def _candidates(self, words: list[str]) -> set[str]:
        strong: Counter[str] = Counter()
        n = len(words)
        joins = self._joins_chars
        # only positions right after a single Chinese character can start an insert
        for t in [i + 1 for i, w in enumerate(words) if len(w) == 1 and w > "\u4dff"]:
            if t >= n - 1:
                continue
            w = words[t]
            if 2 <= len(w) <= MAX_INSERT and len(words[t + 1]) == 1:
                if joins(words[t - 1], words[t + 1]):
                    strong[w] += 1
            elif (
                len(w) == 1
                and t + 2 < n
                and len(words[t + 1]) == 1
                and len(words[t + 2]) == 1
                and joins(words[t - 1], words[t + 2])
            ):
                strong[w + words[t + 1]] += 1  # an unknown insert cut into two characters
        return {w for w, c in strong.items() if c >= 2 and INSERTABLE.fullmatch(w)}

    def clean_title(self, title: str, known: Iterable[str] = ()) -> str:
        """The title without spam brands, emoji and inserted words; ``known`` are strings
        removed from the document's body (a brand seen there is removed from its title too)."""
        out = []
        pos = 0
        found = self.find(title, title=title)
        for spam in sorted(set(known), key=len, reverse=True):
            start = title.find(spam)
            while spam and start >= 0:
                found.append((start, start + len(spam), "spam-brand"))
                start = title.find(spam, start + len(spam))
        if self.cut is not None and self.has_spam_terms(title):
            found = found + self.inserted_words(self.cut(title))
        found = _disjoint(found)
        for a, b, _ in found:
            out.append(title[pos:a])
            pos = b
        out.append(title[pos:])
        return "".join(out).strip()

    # ------------------------------------------------------------ detectors

    def _is_word(self, s: str) -> bool:
        return self.word_freq(s) >= JUNCTION_FREQ

    def _latin_in_words(self, text: str) -> list[tuple[int, int, str]]:
        """Latin letters inside a Chinese word (教yu育 → 教育); STEAM教育 or 5G网络 stay."""
        out = []
        for m in LATIN_IN_WORD.finditer(text):
            left, right = text[m.start() - 1], text[m.end()]
            if self._is_word(left + right) and not self._is_word(text[m.start() - 2 : m.start()]):
                out.append((m.start(), m.end(), "latin-in-word"))
        return out

    def _brands(self, text: str, title: str | None) -> list[tuple[int, int, str]]:
        """Spam names (泛亚电竞) standing where a heading or a place name stood: a spam term with
        the name its occurrences share in front of it, repeated, at a paragraph start or in the
        headline."""
        hits: dict[str, list[tuple[int, int]]] = {}
        for m in self.pattern.finditer(text):
            hits.setdefault(m.group().lower(), []).append((m.start(), m.end()))
        out = []
        # a short line mostly made of spam terms (澳门葡京娱乐城官网 百家乐 老虎机) is spam anywhere
        for line in re.finditer(r"[^\n]+", text):
            found = list(self.pattern.finditer(line.group()))
            size = len("".join(line.group().split()))
            share = sum(m.end() - m.start() for m in found) / max(size, 1)
            if len(found) >= 2 and size <= SPAM_LINE_CHARS and share >= SPAM_LINE_TERMS:
                out.extend(
                    (line.start() + m.start(), line.start() + m.end(), "spam-term") for m in found
                )
        for term, spots in hits.items():
            prefix = _shared_prefix(text, spots) if len(spots) >= 2 else ""
            prefix = next(
                (prefix[k + 1 :] for k in range(len(prefix)) if self.is_place(prefix[: k + 1])),
                prefix,
            )  # 陵川|包养: the place stays
            tail = _shared_tail(text, spots)
            name = prefix + term + tail
            spans = [(a - len(prefix), b + len(tail)) for a, b in spots]
            in_title = bool(title and name in title.lower())
            structural = any(_paragraph_start(text, a) for a, _ in spans)
            if len(spans) >= 2 or in_title or structural:
                reason = "spam-brand" if prefix else "spam-term"
                out.extend((a, b, reason) for a, b in spans)
        return out

    def inserted_words(self, words: list[str]) -> list[tuple[int, int, str]]:
        """A short string inserted every few characters (义务教包养育, 达琪琪标): a segment whose
        removal lets a word form across the gap, at least three times and for a good part of
        its occurrences (inserts that land between two words break nothing). ``words`` is the
        segmented text; offsets are into ``"".join(words)``."""
        text = "".join(words)
        if len(text) < 20:
            return []
        # candidates: segments seen at least twice between two single characters that make a
        # word together (教|包养|育) — a cheap test that spares the segmenter
        candidates = self._candidates(words)
        n = len(words)
        if not candidates:
            return []
        starts = [0]
        for w in words:
            starts.append(starts[-1] + len(w))
        whole: dict[str, list[tuple[int, int]]] = {}
        for t in range(1, n - 1):
            for size in (1, 2):
                if t + size < n:
                    insert = words[t] if size == 1 else words[t] + words[t + 1]
                    if insert in candidates:
                        whole.setdefault(insert, []).append((t, size))
        breaking: Counter[str] = Counter()
        positions: dict[str, list[int]] = {}
        for insert, spots in whole.items():
            breaking[insert] = sum(
                1 for t, size in spots if self._joins(words[t - 1], words[t + size])
            )
            positions[insert] = [starts[t] for t, _ in spots]
        out = []
        for insert, count in breaking.items():
            if count >= MIN_REPEATS and count / text.count(insert) >= INSERT_SHARE:
                # an established insert goes wherever it stands alone, between words too
                out.extend((a, a + len(insert), "inserted-word") for a in positions[insert])
        return out

    def _joins_chars(self, left: str, right: str) -> bool:
        return (
            len(left) == 1
            and len(right) == 1
            and left > "\u4dff"
            and right > "\u4dff"
            and self._is_word(left + right)
        )

    def _joins(self, left: str, right: str) -> bool:
        """True when ``left`` and ``right`` segment differently once adjacent: a word forms
        across the junction (标准|化 → 标准化, 达|标 → 达标)."""
        if not (CJK_CHAR.match(left[-1:]) and CJK_CHAR.match(right[:1])):
            return False
        if len(left) == 1 and len(right) == 1:
            return self._is_word(left + right)
        assert self.cut is not None
        pos = 0
        for w in self.cut(left + right):
            if pos < len(left) < pos + len(w):
                return True
            pos += len(w)
        return False


def _shared_prefix(text: str, spots: list[tuple[int, int]]) -> str:
    """The Chinese characters (at most 4) that every occurrence has right in front of it."""
    prefix = ""
    for k in range(1, 5):
        chars = {text[a - k : a] if a - k >= 0 else None for a, _ in spots}
        if len(chars) != 1:
            break
        (candidate,) = chars
        if candidate is None or not CJK_WORD.fullmatch(candidate):
            break
        prefix = candidate
    return prefix


BRAND_TAILS = ("官网", "平台", "网", "站")


def _shared_tail(text: str, spots: list[tuple[int, int]]) -> str:
    """A site word every occurrence of a spam term carries (包养|网): part of the brand."""
    for tail in BRAND_TAILS:
        if all(text.startswith(tail, b) for _, b in spots):
            return tail
    return ""


def _paragraph_start(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    return not text[line_start:pos].strip(" \t\u3000")


def _disjoint(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for a, b, reason in sorted(spans):
        if out and a < out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b, out[-1][2])
            continue
        out.append((a, b, reason))
    return out

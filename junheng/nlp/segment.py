"""Word segmentation with our own ``jieba.Tokenizer`` (never jieba's module-level globals)."""

from __future__ import annotations

import hashlib
import logging
import math
import re
import sqlite3
import tempfile
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from junheng import lookup

if TYPE_CHECKING:
    import jieba

logger = logging.getLogger(__name__)

_WORDLIKE = re.compile(r"[^\W_]")

# Frequency floor for domain words, so that 县管校聘 beats 县管/校聘 in jieba's route choice.
DOMAIN_FREQ = 20000
PLACE_FREQ = 2000


class Segmenter:
    """A jieba tokenizer instance loaded with the domain dictionary.

    Args:
        words: domain words (lexicon forms) that must stay whole.
        places: place names that must stay whole.
        cache_dir: where jieba may cache its prefix dictionary (default: the temp folder).
        hmm: let jieba's HMM guess out-of-vocabulary words. Off by default: the domain
            dictionary holds the words that matter (measures, places), dictionary-only cutting
            segments a short query exactly as the same words in running text (HMM guesses
            depend on context), and it is about a quarter faster.
    """

    def __init__(
        self,
        words: Iterable[str] = (),
        places: Iterable[str] = (),
        *,
        cache_dir: str | Path | None = None,
        hmm: bool = False,
    ) -> None:
        self.words = tuple(dict.fromkeys(w for w in words if w.strip()))
        self.places = tuple(dict.fromkeys(p for p in places if p.strip()))
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.hmm = hmm
        self._tk: jieba.Tokenizer | None = None
        self._char_freq: dict[str, int] | None = None
        self._place_words: frozenset[str] | None = None
        self._index_memo: dict[str, tuple[str, ...]] = {}
        self._logp: dict[str, float] = {}  # log probability of each word met (see cut)
        self._logtotal: float | None = None
        self._base_freq: dict[str, int] = {}

    @cached_property
    def fingerprint(self) -> str:
        """Identifies the segmentation (jieba version + added words); stored with indexed text."""
        import jieba

        h = hashlib.sha256(f"{jieba.__version__}:hmm={self.hmm}".encode())
        for w in (*self.words, "\x00", *self.places):
            h.update(w.encode())
            h.update(b"\n")
        return h.hexdigest()[:16]

    @property
    def tokenizer(self) -> jieba.Tokenizer:
        """The underlying jieba tokenizer, initialised on first use."""
        if self._tk is None:
            self._tk = self._build()
        return self._tk

    def _build(self) -> jieba.Tokenizer:
        import jieba

        tk = jieba.Tokenizer()
        cache = self.cache_dir
        if cache is not None:
            try:
                cache.mkdir(parents=True, exist_ok=True)
            except OSError:
                cache = None
        tk.tmp_dir = str(cache) if cache is not None else tempfile.gettempdir()
        tk.initialize()
        self._base_freq = {w: tk.FREQ.get(w) or 0 for w in (*self.words, *self.places)}
        for place in self.places:
            if place not in tk.FREQ or tk.FREQ[place] < PLACE_FREQ:
                tk.add_word(place, freq=PLACE_FREQ)
        for word in self.words:
            if any(ch.isspace() for ch in word):
                continue
            if len(word) > 2:
                tk.add_word(word, freq=max(DOMAIN_FREQ, tk.FREQ.get(word) or 0))
            elif not tk.FREQ.get(word):
                # two-character words get just enough weight to stay whole on their own
                tk.add_word(word, freq=tk.suggest_freq(word, tune=False))
        logger.debug(
            "segmenter ready: %d domain words, %d places", len(self.words), len(self.places)
        )
        self._save_lookup(tk)
        return tk

    # A query needs the dictionary only for its own substrings: a query process reads those
    # from a word table the first full load left in the cache (no 0.7 s dictionary load), and
    # cuts exactly as the full dictionary would (jieba's DAG and route consult only them).

    def _lookup_path(self) -> Path | None:
        return self.cache_dir / f"words-{self.fingerprint}.sqlite" if self.cache_dir else None

    def _save_lookup(self, tk: jieba.Tokenizer) -> None:
        path = self._lookup_path()
        if path is None or path.is_file():
            return

        def fill(conn: sqlite3.Connection) -> None:
            conn.execute("create table words (word text primary key, freq int) without rowid")
            conn.execute("create table meta (key text primary key, value int)")
            conn.executemany("insert into words values (?, ?)", tk.FREQ.items())
            conn.execute("insert into meta values ('total', ?)", (tk.total,))

        lookup.save(path, fill)

    def _query_tokenizer(self, text: str) -> jieba.Tokenizer:
        """A tokenizer that cuts ``text`` as the full one does, loaded with only the
        dictionary entries of its substrings when the word table exists (else the full one)."""
        path = self._lookup_path()
        if self._tk is not None or path is None or not path.is_file() or len(text) > 200:
            return self.tokenizer
        import jieba

        subs = list({text[i:j] for i in range(len(text)) for j in range(i + 1, len(text) + 1)})
        try:
            conn = lookup.connect(path)
            try:
                sql = "select word, freq from words where word in ({marks})"
                freq: dict[str, int] = dict(lookup.select_in(conn, sql, subs))
                total = conn.execute("select value from meta where key = 'total'").fetchone()[0]
            finally:
                conn.close()
        except sqlite3.Error:
            return self.tokenizer
        tk = jieba.Tokenizer()
        tk.FREQ, tk.total, tk.initialized = freq, total, True
        return tk

    def cut(self, text: str) -> list[str]:
        """Tokens covering ``text`` exactly (whitespace included), in order."""
        if self.hmm:
            return list(self.tokenizer.cut(text, HMM=True))
        return self._cut_exact(text)

    def _cut_exact(self, text: str) -> list[str]:
        """``jieba.Tokenizer.cut(text, HMM=False)``, step for step, with the route's log
        probabilities looked up once per word instead of recomputed at every position
        (the same floating-point sums, so the same cut; about twice as fast)."""
        import jieba

        tk = self.tokenizer
        freq = tk.FREQ
        memo = self._logp
        if self._logtotal is None:
            self._logtotal = math.log(tk.total)
        logtotal = self._logtotal
        eng = jieba.re_eng.match
        out: list[str] = []
        for blk in jieba.re_han_default.split(text):
            if not blk:
                continue
            if not jieba.re_han_default.match(blk):
                for x in jieba.re_skip_default.split(blk):
                    if jieba.re_skip_default.match(x):
                        out.append(x)
                    else:
                        out.extend(x)
                continue
            n = len(blk)
            dag: list[list[int]] = []
            for k in range(n):
                ends = []
                i = k
                frag = blk[k]
                while i < n and frag in freq:
                    if freq[frag]:
                        ends.append(i)
                    i += 1
                    frag = blk[k : i + 1]
                dag.append(ends or [k])
            score = [0.0] * (n + 1)
            step = [0] * (n + 1)
            for idx in range(n - 1, -1, -1):
                best_v = best_x = None
                for x in dag[idx]:
                    word = blk[idx : x + 1]
                    lp = memo.get(word)
                    if lp is None:
                        lp = memo[word] = math.log(freq.get(word) or 1) - logtotal
                    v = lp + score[x + 1]
                    if best_v is None or v > best_v or (v == best_v and x > best_x):
                        best_v, best_x = v, x
                score[idx], step[idx] = best_v, best_x  # type: ignore[assignment]
            x = 0
            buf = ""
            while x < n:
                y = step[x] + 1
                word = blk[x:y]
                if y - x == 1 and eng(word):
                    buf += word
                else:
                    if buf:
                        out.append(buf)
                        buf = ""
                    out.append(word)
                x = y
            if buf:
                out.append(buf)
        return out

    @property
    def char_freq(self) -> dict[str, int]:
        """Per character, the summed frequency of the dictionary words containing it."""
        if self._char_freq is None:
            counts: dict[str, int] = {}
            for word, f in self.tokenizer.FREQ.items():
                if f:
                    for ch in word:
                        counts[ch] = counts.get(ch, 0) + f
            self._char_freq = counts
        return self._char_freq

    @property
    def place_words(self) -> frozenset[str]:
        """Words jieba's base dictionary tags as place names (``ns``)."""
        if self._place_words is None:
            words = set()
            with self.tokenizer.get_dict_file() as fh:
                for raw in fh:
                    parts = raw.decode("utf-8").split()
                    if len(parts) == 3 and parts[2] == "ns":
                        words.add(parts[0])
            self._place_words = frozenset(words)
        return self._place_words

    def is_common_word(self, word: str, threshold: int) -> bool:
        """True when ``word`` is an ordinary word (frequent, not tagged as a place)."""
        return self.freq(word) >= threshold and word not in self.place_words

    def base_freq(self, word: str) -> int:
        """Frequency in jieba's own dictionary, before our domain words were added."""
        tk = self.tokenizer
        if word in self._base_freq:
            return self._base_freq[word]
        return int(tk.FREQ.get(word) or 0)

    def freq(self, word: str) -> int:
        """Frequency of ``word`` in jieba's base dictionary (0 when absent)."""
        return int(self.tokenizer.FREQ.get(word) or 0)

    def index_terms(self, tokens: Iterable[str]) -> list[str]:
        """Search-mode terms: every token plus every dictionary word inside it (jieba's
        ``cut_for_search`` stops at 3-grams; here any length, so that 办学 and 集团化办学 both
        find 名校集团化办学). Whitespace and punctuation drop out."""
        memo = self._index_memo
        out: list[str] = []
        for tok in tokens:
            terms = memo.get(tok)
            if terms is None:
                terms = self._terms_of(tok)
                if len(memo) < 500_000:
                    memo[tok] = terms
            out.extend(terms)
        return out

    @cached_property
    def _longest_word(self) -> int:
        """Length of the longest dictionary word worth looking for inside a token."""
        return max((len(w) for w in (*self.words, *self.places)), default=3)

    def _terms_of(self, tok: str) -> tuple[str, ...]:
        if not _WORDLIKE.search(tok):
            return ()
        freq = self.tokenizer.FREQ
        n = len(tok)
        longest = min(n - 1, max(3, self._longest_word), 24)
        grams = dict.fromkeys(
            tok[i : i + size]
            for size in range(2, longest + 1)
            for i in range(n - size + 1)
            if freq.get(tok[i : i + size])
        )
        return (*grams, tok.lower())

    def splits(self, term: str, *, limit: int = 8) -> list[tuple[str, ...]]:
        """Ways to write ``term`` as two or three dictionary words (of two or more characters):
        how running text may have cut it across words (义务教育标准化学校|建设 holds
        标准化学校建设), for a search to look for the pieces too."""
        freq = self._query_tokenizer(term).FREQ
        n = len(term)
        out: list[tuple[str, ...]] = []
        for i in range(2, n - 1):
            a, rest = term[:i], term[i:]
            if not freq.get(a):
                continue
            if freq.get(rest):
                out.append((a, rest))
            for j in range(2, len(rest) - 1):
                if freq.get(rest[:j]) and freq.get(rest[j:]):
                    out.append((a, rest[:j], rest[j:]))
        return out[:limit]

    def query_terms(self, query: str) -> list[str]:
        """The terms of a search query, segmented the way indexed text is."""
        cut = self._query_tokenizer(query).cut(query, HMM=self.hmm)
        return [t for t in (tok.strip().lower() for tok in cut) if _WORDLIKE.search(t)]

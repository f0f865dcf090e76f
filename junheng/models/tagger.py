"""Measure tagger ``tagger.v1``: a token classifier (O / B / I, multinomial logistic regression)
over the jieba tokens of article sentences.

Features are integer templates read off numpy arrays (no per-token Python dictionaries): the
word and its neighbours, first and last characters, the word shape, whether a lexicon form or a
quoted / verb-object rule covers the token (and what the lexicon rules decided there), quotes
and 《》 around it, and its place in the sentence. Spans are decoded from the token
probabilities; the probability that a token belongs to a measure also confirms or rejects the
lexicon's and the rules' matches.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

TAGGER_MODEL = "tagger.v1"
O, B, I = 0, 1, 2  # noqa: E741  (the BIO tags)
PAD = 1  # word id of a position outside the sentence
UNK = 0
_BUCKETS = 1 << 18  # hashed conjunctions
_CJK0, _CJK1 = 0x4E00, 0x9FFF
_OPEN_QUOTES = frozenset('“「『"')
_CLOSE_QUOTES = frozenset("”」』")
# lexicon states per token: 0 none, 1/2 B/I of a match the rules kept, 3/4 of one they skipped
LEX_STATES = 5
RULE_STATES = 5  # 0 none, 1/2 B/I of a quoted name, 3/4 of a verb-object phrase
SKIP_RULES = ("document-title", "honour", "goal", "office", "negated", "problem", "not-acted-on")


@dataclass(slots=True)
class TokenView:
    """What the tagger reads from one annotated document (offsets into its analysed text).

    ``sentence`` holds, per token, the index of its article sentence or -1 (boilerplate,
    whitespace, outside any sentence)."""

    text: str
    words: list[str]
    starts: np.ndarray  # (n + 1,) token start offsets, then the text length
    sentence: np.ndarray  # (n,)
    lexicon: np.ndarray  # (n,) LEX_STATES
    skip_rule: np.ndarray  # (n,) 0 or 1 + index in SKIP_RULES
    category: np.ndarray  # (n,) 0 or 1 + index of the lexicon match's strategy
    rules: np.ndarray  # (n,) RULE_STATES


def token_view(
    text: str,
    words: Sequence[str],
    sentences: Sequence[tuple[int, int]],
    lexicon_kept: Sequence[tuple[int, int, int]] = (),
    lexicon_skipped: Sequence[tuple[int, int, str]] = (),
    rule_spans: Sequence[tuple[int, int, str]] = (),
) -> TokenView:
    """Arrays for one document.

    Args:
        text: The analysed text the words cover exactly.
        words: Its tokens.
        sentences: ``(start, end)`` of the article sentences (boilerplate left out).
        lexicon_kept: ``(start, end, category index + 1 or 0)`` of lexicon matches the rules kept.
        lexicon_skipped: ``(start, end, rule)`` of lexicon matches the rules rejected.
        rule_spans: ``(start, end, method)`` of quoted names and verb-object phrases.
    """
    n = len(words)
    starts = np.zeros(n + 1, np.int64)
    if n:
        np.cumsum(np.fromiter(map(len, words), np.int64, n), out=starts[1:])
    tok_of = _char_to_token(starts, len(text))
    sentence = np.full(n, -1, np.int64)
    for k, (a, b) in enumerate(sentences):
        if b > a:
            sentence[tok_of[a] : tok_of[b - 1] + 1] = k
    blank = np.fromiter((not w.strip() for w in words), bool, n)
    sentence[blank] = -1
    lexicon = np.zeros(n, np.int64)
    skip = np.zeros(n, np.int64)
    category = np.zeros(n, np.int64)
    rules = np.zeros(n, np.int64)
    for a, b, cat in lexicon_kept:
        _mark(lexicon, tok_of, a, b, 1)
        category[tok_of[a] : tok_of[b - 1] + 1] = cat
    for a, b, rule in lexicon_skipped:
        i, j = tok_of[a], tok_of[b - 1] + 1
        if not lexicon[i:j].any():
            _mark(lexicon, tok_of, a, b, 3)
            skip[i:j] = 1 + SKIP_RULES.index(rule) if rule in SKIP_RULES else 0
    for a, b, method in rule_spans:
        _mark(rules, tok_of, a, b, 1 if method == "quoted" else 3)
    return TokenView(text, list(words), starts, sentence, lexicon, skip, category, rules)


def _char_to_token(starts: np.ndarray, length: int) -> np.ndarray:
    """Token index of every character offset (and of ``length``)."""
    out = np.zeros(length + 1, np.int64)
    if len(starts) > 1:
        marks = np.zeros(length + 1, np.int64)
        np.add.at(marks, starts[1:-1], 1)
        out = np.cumsum(marks)
    return out


def _mark(states: np.ndarray, tok_of: np.ndarray, a: int, b: int, begin: int) -> None:
    if b <= a:
        return
    i, j = tok_of[a], tok_of[b - 1] + 1
    states[i] = begin
    states[i + 1 : j] = begin + 1


def bio_labels(view: TokenView, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """O/B/I per token for gold ``(start, end)`` spans (expanded to whole tokens; the longest
    span wins where gold spans overlap)."""
    tok_of = _char_to_token(view.starts, len(view.text))
    labels = np.zeros(len(view.words), np.int64)
    for a, b in sorted(spans, key=lambda s: s[0] - s[1]):
        if b <= a:
            continue
        i, j = tok_of[a], tok_of[b - 1] + 1
        if labels[i:j].any():
            continue
        labels[i] = B
        labels[i + 1 : j] = I
    return labels


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)


def _char_id(cp: np.ndarray) -> np.ndarray:
    """CJK characters by code point, everything else in a few classes."""
    cjk = (cp >= _CJK0) & (cp <= _CJK1)
    out = np.where(cjk, cp - _CJK0 + 8, 0)
    digit = (cp >= 0x30) & (cp <= 0x39)
    latin = ((cp >= 0x41) & (cp <= 0x5A)) | ((cp >= 0x61) & (cp <= 0x7A))
    out = np.where(digit, 1, out)
    out = np.where(latin, 2, out)
    for k, chars in enumerate(('“”"「」『』', "《》", "、，,", "（）()", "：:；;")):
        mask = np.isin(cp, [ord(c) for c in chars])
        out = np.where(mask, 3 + k, out)
    return out


_CHAR_IDS = _CJK1 - _CJK0 + 9


@dataclass
class MeasureTagger:
    """The tagger: ``fit`` on token views with gold spans, ``spans`` on new views."""

    c: float = 0.5
    min_count: int = 1
    # inside probability a token needs (chosen by cross-validation on the dev split: 0.4 gave
    # measures P/R 0.61/0.54 against 0.64/0.51 at 0.5, and better strategy figures)
    threshold: float = 0.4
    name: str = TAGGER_MODEL
    vocab: dict[str, int] = field(default_factory=dict)
    estimator: Any = None
    _sizes: list[int] = field(default_factory=list)
    # raw column → column of the fitted model (features never seen in training map to the
    # last column, whose weight is zero)
    _columns: Any = None
    _weight_cache: Any = field(default=None, repr=False, compare=False)

    # ------------------------------------------------------------ features

    def _word_ids(self, words: Sequence[str]) -> np.ndarray:
        get = self.vocab.get
        return np.fromiter((get(w, UNK) for w in words), np.int64, len(words))

    def _templates(self, view: TokenView) -> list[np.ndarray]:
        """One integer value per token and template (same order as ``_sizes``)."""
        n = len(view.words)
        sent = view.sentence
        wid = self._word_ids(view.words)
        cps = _codepoints(view.text)
        cps = np.append(cps, 0)
        first = _char_id(cps[view.starts[:-1]]) if n else np.zeros(0, np.int64)
        last = _char_id(cps[np.maximum(view.starts[1:] - 1, 0)]) if n else np.zeros(0, np.int64)
        before_last = (
            _char_id(cps[np.maximum(view.starts[1:] - 2, 0)]) if n else np.zeros(0, np.int64)
        )
        length = np.minimum(np.diff(view.starts), 4)
        kind = np.where(first >= 8, 4, np.minimum(first, 3))  # other, digit, latin, punct, CJK
        shape = kind * 5 + length

        def shift(values: np.ndarray, k: int, pad: int) -> np.ndarray:
            out = np.full(n, pad, np.int64)
            if k > 0 and n > k:
                out[k:] = values[:-k]
                out[k:][sent[k:] != sent[:-k]] = pad
            elif k < 0 and n > -k:
                out[:k] = values[-k:]
                out[:k][sent[:k] != sent[-k:]] = pad
            return out

        # position in the sentence
        idx = np.arange(n)
        new = np.ones(n, bool)
        if n > 1:
            new[1:] = sent[1:] != sent[:-1]
        first_tok = np.maximum.accumulate(np.where(new, idx, 0)) if n else idx
        pos = np.minimum(idx - first_tok, 3)
        end_new = np.ones(n, bool)
        if n > 1:
            end_new[:-1] = sent[:-1] != sent[1:]
        last_tok = np.minimum.accumulate(np.where(end_new, idx, n)[::-1])[::-1] if n else idx
        to_end = np.minimum(last_tok - idx, 3)
        # quotes and book-title brackets open before the token, within its sentence
        lead = cps[view.starts[:-1]] if n else np.zeros(0, np.int64)
        quoted = _depth(lead, _OPEN_QUOTES, _CLOSE_QUOTES, first_tok)
        in_book = _depth(lead, frozenset("《"), frozenset("》"), first_tok)

        # position in the clause (between punctuation marks)
        punct = kind == 3
        clause_new = new | np.append(False, punct[:-1]) if n else new
        clause_first = np.maximum.accumulate(np.where(clause_new, idx, 0)) if n else idx
        clause_pos = np.minimum(idx - clause_first, 3)
        clause_end = end_new | np.append(punct[1:], False) if n else end_new
        clause_last = np.minimum.accumulate(np.where(clause_end, idx, n)[::-1])[::-1] if n else idx
        clause_to_end = np.minimum(clause_last - idx, 3)
        first2 = _char_id(cps[np.minimum(view.starts[:-1] + 1, len(cps) - 1)]) if n else idx
        w_m1, w_p1 = shift(wid, 1, PAD), shift(wid, -1, PAD)
        w_m2, w_p2 = shift(wid, 2, PAD), shift(wid, -2, PAD)
        lex, rules = view.lexicon, view.rules
        lex_m1, lex_p1 = shift(lex, 1, 0), shift(lex, -1, 0)
        rules_m1, rules_p1 = shift(rules, 1, 0), shift(rules, -1, 0)
        shape_m1, shape_p1 = shift(shape, 1, 0), shift(shape, -1, 0)
        last_m1, first_p1 = shift(last, 1, 0), shift(first, -1, 0)
        return [
            wid,
            w_m1,
            w_p1,
            w_m2,
            w_p2,
            first,
            last,
            last_m1,
            first_p1,
            _hash(before_last, last),
            shape,
            shape_m1,
            shape_p1,
            lex * 2 + np.minimum(view.skip_rule, 1),
            view.skip_rule,
            view.category,
            lex_m1,
            lex_p1,
            rules,
            rules_m1,
            rules_p1,
            quoted * 2 + in_book,
            pos * 4 + to_end,
            _hash(w_m1, wid),
            _hash(wid, w_p1),
            _hash(lex, w_p1),
            _hash(w_m1, lex),
            _hash(last_m1, first),
            clause_pos * 4 + clause_to_end,
            _hash(first, np.where(length > 1, first2, 0)),
            _hash(clause_pos * 4 + clause_to_end, wid),
        ]

    def _matrix(self, views: Sequence[TokenView]) -> tuple[Any, list[np.ndarray]]:
        """CSR matrix over the article tokens of ``views`` (all at once) and, per view, those
        tokens' indices."""
        from scipy.sparse import csr_matrix

        offsets = np.concatenate([[0], np.cumsum(self._sizes)[:-1]])
        keep = [np.flatnonzero(v.sentence >= 0) for v in views]
        merged = concat(views)
        rows = np.flatnonzero(merged.sentence >= 0)
        k = len(self._sizes)
        cols = (
            np.stack(self._templates(merged), axis=1)[rows] + offsets
            if len(rows)
            else np.zeros((0, k), np.int64)
        )
        if self._columns is None:  # fitting: keep the columns the training data uses
            used = np.unique(cols)
            self._columns = np.full(int(sum(self._sizes)), len(used), np.int32)
            self._columns[used] = np.arange(len(used), dtype=np.int32)
        cols = self._columns[cols]
        m = len(cols)
        x = csr_matrix(
            (np.ones(m * k, np.float32), cols.ravel(), np.arange(0, m * k + 1, k)),
            shape=(m, int(self._columns.max()) + 1),
        )
        return x, keep

    # ------------------------------------------------------------ training

    def fit(self, views: Sequence[TokenView], spans: Sequence[Sequence[tuple[int, int]]]) -> Any:
        from sklearn.linear_model import LogisticRegression

        counts = Counter(
            w for v in views for w, s in zip(v.words, v.sentence, strict=True) if s >= 0
        )
        words = sorted(w for w, c in counts.items() if c >= self.min_count)
        self.vocab = {w: k + 2 for k, w in enumerate(words)}
        nw = len(self.vocab) + 2
        self._sizes = [nw] * 5 + [_CHAR_IDS] * 4 + [_BUCKETS]
        self._sizes += [25, 25, 25, LEX_STATES * 2, len(SKIP_RULES) + 1, 16]
        self._sizes += [LEX_STATES, LEX_STATES, RULE_STATES, RULE_STATES, RULE_STATES, 4, 16]
        self._sizes += [_BUCKETS] * 5 + [16, _BUCKETS, _BUCKETS]
        self._columns = None
        x, keep = self._matrix(views)
        y = np.concatenate(
            [bio_labels(v, s)[k] for v, s, k in zip(views, spans, keep, strict=True)]
        )
        self.estimator = LogisticRegression(C=self.c, max_iter=2000)
        self.estimator.fit(x, y)
        self._weight_cache = None
        return self

    # ------------------------------------------------------------ prediction

    def probabilities(self, views: Sequence[TokenView]) -> list[np.ndarray]:
        """Per view an ``(n_tokens, 3)`` array of O/B/I probabilities (rows of tokens outside
        article sentences are ``[1, 0, 0]``). The linear scores are summed straight from the
        weight rows of the active features (one gather per template, no sparse matrix)."""
        out = []
        for view in views:
            p = np.zeros((len(view.words), 3), np.float32)
            p[:, O] = 1.0
            out.append(p)
        if self.estimator is None or not views:
            return out
        keep = [np.flatnonzero(v.sentence >= 0) for v in views]
        merged = concat(views)
        rows = np.flatnonzero(merged.sentence >= 0)
        if not len(rows):
            return out
        weights, bias = self._weights()
        scores = np.tile(bias, (len(rows), 1))
        offset = 0
        for size, values in zip(self._sizes, self._templates(merged), strict=True):
            scores += weights[self._columns[values[rows] + offset]]
            offset += size
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        k = 0
        for p, idx in zip(out, keep, strict=True):
            p[idx] = scores[k : k + len(idx)]
            k += len(idx)
        return out

    def _weights(self) -> tuple[np.ndarray, np.ndarray]:
        """Weight rows (O, B, I columns) per fitted feature, a zero row for unseen features."""
        cached = getattr(self, "_weight_cache", None)
        if cached is None:
            order = [list(self.estimator.classes_).index(t) for t in (O, B, I)]
            coef = self.estimator.coef_[order].T.astype(np.float32)
            weights = np.vstack([coef, np.zeros((1, 3), np.float32)])
            if weights.shape[0] <= int(self._columns.max()):
                weights = np.vstack([weights, np.zeros((1, 3), np.float32)])
            cached = (weights, self.estimator.intercept_[order].astype(np.float32))
            self._weight_cache = cached
        return cached

    def decode(self, view: TokenView, p: np.ndarray) -> list[tuple[int, int, float]]:
        """Spans ``(start, end, score)``: runs of tokens more likely inside a measure than not,
        a new span where B is likelier than I; the score is the mean inside probability."""
        n = len(view.words)
        if not n:
            return []
        inside = (p[:, B] + p[:, I] >= self.threshold) & (view.sentence >= 0)
        prev_inside = np.zeros(n, bool)
        prev_inside[1:] = inside[:-1] & (view.sentence[1:] == view.sentence[:-1])
        start = inside & (~prev_inside | (p[:, B] > p[:, I]))
        out = []
        for i in np.flatnonzero(start):
            j = i + 1
            while j < n and inside[j] and not start[j]:
                j += 1
            a, b = int(view.starts[i]), int(view.starts[j])
            score = float((1.0 - p[i:j, O]).mean())
            out.append((a, b, score))
        return [s for s in (_trim(view.text, a, b, sc) for a, b, sc in out) if s is not None]

    def inside_score(self, view: TokenView, p: np.ndarray, a: int, b: int) -> float:
        """Mean probability that the tokens of ``[a, b)`` belong to a measure."""
        i = int(np.searchsorted(view.starts, a, side="right")) - 1
        j = int(np.searchsorted(view.starts, b, side="left"))
        if j <= i:
            return 0.0
        return float((1.0 - p[i:j, O]).mean())


def concat(views: Sequence[TokenView]) -> TokenView:
    """Several documents as one view (sentence numbers kept apart)."""
    if len(views) == 1:
        return views[0]
    starts, sentences = [], []
    shift = base = 0
    for v in views:
        starts.append(v.starts[:-1] + shift)
        sentences.append(np.where(v.sentence >= 0, v.sentence + base, -1))
        shift += len(v.text)
        base += int(v.sentence.max()) + 1 if len(v.sentence) else 0
    starts.append(np.array([shift], np.int64))
    return TokenView(
        "".join(v.text for v in views),
        [w for v in views for w in v.words],
        np.concatenate(starts),
        np.concatenate(sentences),
        np.concatenate([v.lexicon for v in views]),
        np.concatenate([v.skip_rule for v in views]),
        np.concatenate([v.category for v in views]),
        np.concatenate([v.rules for v in views]),
    )


_TRIM = "“”\"'‘’「」『』《》（）()[]【】，,、。；;：:！!？? \u3000"


def _trim(text: str, a: int, b: int, score: float) -> tuple[int, int, float] | None:
    """Drop punctuation at the ends of a span, and spans without a Chinese character."""
    while a < b and text[a] in _TRIM:
        a += 1
    while b > a and text[b - 1] in _TRIM:
        b -= 1
    piece = text[a:b]
    if b - a < 2 or not any(_CJK0 <= ord(c) <= _CJK1 for c in piece):
        return None
    # a span may open inside quotes it does not close (“一校一品 → 一校一品)
    return a, b, score


def _depth(
    lead: np.ndarray, opens: frozenset[str], closes: frozenset[str], first: np.ndarray
) -> np.ndarray:
    """1 where an opening mark (by each token's first character) is still open before the
    token, counting from its sentence's first token."""
    step = np.isin(lead, [ord(c) for c in opens]).astype(np.int64)
    step -= np.isin(lead, [ord(c) for c in closes])
    before = np.cumsum(step) - step
    return np.clip(before - before[first], 0, 1) if len(lead) else before


def _hash(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * 1_000_003 + b * 7919) % _BUCKETS

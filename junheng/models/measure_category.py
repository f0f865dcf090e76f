"""``category.v1``: the strategy a measure name belongs to, for measures the lexicon lacks.

A multinomial logistic regression over the character 1–3-grams of the name and, at a lower
weight, the character pairs of its sentence; trained on the lexicon's terms and variants, the
gold facts (measure → strategy) and the seed measures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

CATEGORY_MODEL = "category.v1"
CONTEXT_WEIGHT = 0.3


@dataclass
class MeasureCategorizer:
    c: float = 4.0
    name: str = CATEGORY_MODEL
    names: Any = None
    context: Any = None
    estimator: Any = None

    def _x(self, names: Sequence[str], contexts: Sequence[str]) -> Any:
        from scipy.sparse import hstack

        return hstack(
            [self.names.transform(names), CONTEXT_WEIGHT * self.context.transform(contexts)]
        ).tocsr()

    def fit(
        self, names: Sequence[str], contexts: Sequence[str], labels: Sequence[str]
    ) -> MeasureCategorizer:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.names = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        self.names.fit(names)
        self.context = TfidfVectorizer(
            analyzer="char", ngram_range=(2, 2), sublinear_tf=True, min_df=2
        )
        self.context.fit([c for c in contexts if c] or ["。。"])
        self.estimator = LogisticRegression(C=self.c, max_iter=3000)
        self.estimator.fit(self._x(names, contexts), list(labels))
        return self

    def predict(self, names: Sequence[str], contexts: Sequence[str]) -> list[str | None]:
        if not names:
            return []
        return [str(v) for v in self.estimator.predict(self._x(names, contexts))]

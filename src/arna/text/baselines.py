"""The in-domain reference each corpus's figure is set beside: TF-IDF + logistic regression
trained on that corpus alone — the configuration the corpora's SOURCE.txt notes report
(character `char_wb` 1–5-grams and word 1–2-grams, C=4, balanced classes)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def in_domain_predictions(
    train_texts: Sequence[str], train_labels: Sequence[str], test_texts: Sequence[str]
) -> np.ndarray:
    """Labels predicted for `test_texts` by the reference trained on the training texts alone."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 5)),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2)),
    )
    model = make_pipeline(
        features,
        LogisticRegression(C=4.0, class_weight="balanced", max_iter=3000, random_state=0),
    )
    model.fit(list(train_texts), list(train_labels))
    return model.predict(list(test_texts))  # type: ignore[no-any-return]

"""Benchmark of the ML theme classifier: training time, load time and prediction throughput.

    python benchmarks/bench_themes_ml.py [--data corpora/training/themes.jsonl] [--folds 5] [--n 20000]

Prints a small table and, with --json OUT, writes the figures. Not a test: timings depend on
the machine (see ../shared/spec/performance-notes.md).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(REPO / "corpora" / "training" / "themes.jsonl"))
    ap.add_argument("--folds", type=int, default=5, help="CV folds for thresholds (0 = fit only)")
    ap.add_argument("--n", type=int, default=20000, help="sentences to predict for the throughput figure")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()

    from sca.themes.model import ThemeClassifier, load_default_model, read_labelled

    texts, labels, groups = read_labelled(args.data)
    res: dict[str, float] = {"n_train": len(texts)}

    t = time.perf_counter()
    ThemeClassifier(cv=0).fit(texts, labels)
    res["fit_seconds_no_cv"] = round(time.perf_counter() - t, 2)
    if args.folds > 1:
        t = time.perf_counter()
        ThemeClassifier(cv=args.folds).fit(texts, labels, groups=groups)
        res[f"fit_seconds_cv{args.folds}"] = round(time.perf_counter() - t, 2)

    t = time.perf_counter()
    clf = load_default_model()
    res["load_default_seconds"] = round(time.perf_counter() - t, 3)

    sample = (texts * (args.n // len(texts) + 1))[: args.n]
    clf.predict(sample[:100])  # warm-up
    t = time.perf_counter()
    clf.predict(sample)
    dt = time.perf_counter() - t
    res["predict_sentences"] = len(sample)
    res["predict_sentences_per_second"] = round(len(sample) / dt)
    words = sum(len(s.split()) for s in sample)
    res["predict_words_per_second"] = round(words / dt)

    for k, v in res.items():
        print(f"{k:32s} {v}")
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

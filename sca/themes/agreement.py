"""Inter-coder agreement: Cohen's kappa per theme between two label files or label lists."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import pandas as pd


def cohen_kappa(a: Sequence[bool], b: Sequence[bool]) -> float:
    """Cohen's kappa of two binary codings of the same units (1.0 when both agree on a constant)."""
    if len(a) != len(b):
        raise ValueError(f"codings differ in length: {len(a)} and {len(b)}")
    n = len(a)
    if n == 0:
        raise ValueError("no units to compare")
    both = sum(1 for x, y in zip(a, b) if x and y)
    neither = sum(1 for x, y in zip(a, b) if not x and not y)
    po = (both + neither) / n
    pa, pb = sum(map(bool, a)) / n, sum(map(bool, b)) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    if pe == 1.0:
        return 1.0 if po == 1.0 else 0.0
    return (po - pe) / (1 - pe)


def kappa_per_theme(a: Sequence[Sequence[str]], b: Sequence[Sequence[str]], themes: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per theme: kappa, units coded by A, by B, by both, and per cent agreement."""
    if len(a) != len(b):
        raise ValueError(f"{len(a)} units in the first coding but {len(b)} in the second")
    if themes is None:
        themes = sorted({t for x in a for t in x} | {t for x in b for t in x})
    rows = []
    for t in themes:
        xa = [t in x for x in a]
        xb = [t in x for x in b]
        rows.append({
            "theme": t,
            "kappa": cohen_kappa(xa, xb),
            "a": sum(xa),
            "b": sum(xb),
            "both": sum(1 for x, y in zip(xa, xb) if x and y),
            "agreement": sum(1 for x, y in zip(xa, xb) if x == y) / len(xa) if xa else 0.0,
        })
    return pd.DataFrame(rows, columns=["theme", "kappa", "a", "b", "both", "agreement"])


def kappa_files(path_a: str | Path, path_b: str | Path, themes: Sequence[str] | None = None) -> pd.DataFrame:
    """Kappa per theme between two JSONL label files (``themes`` lists; matched on ``unit_id``
    when both files have it on every line, else line by line)."""
    from sca.evaluate.themes import GoldFileError, read_label_file

    ra = read_label_file(path_a, require_text=False)
    rb = read_label_file(path_b, require_text=False)
    if all("unit_id" in r for r in ra) and all("unit_id" in r for r in rb):
        ib = {r["unit_id"]: r for r in rb}
        missing = [r["unit_id"] for r in ra if r["unit_id"] not in ib]
        if missing or len(ib) != len(ra):
            raise GoldFileError(
                f"{path_a} and {path_b}: unit ids differ (e.g. {missing[:3] or sorted(set(ib) - {r['unit_id'] for r in ra})[:3]})"
            )
        la = [r["themes"] for r in ra]
        lb = [ib[r["unit_id"]]["themes"] for r in ra]
    else:
        if len(ra) != len(rb):
            raise GoldFileError(f"{path_a} has {len(ra)} units but {path_b} has {len(rb)}; add unit_id to match them")
        la, lb = [r["themes"] for r in ra], [r["themes"] for r in rb]
    return kappa_per_theme(la, lb, themes)

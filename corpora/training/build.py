"""Combine the hand-written sentence files (hand/*.txt), one style variant of each hand sentence
(augment.py: acronyms, anonymised names, dates, framing clauses; same labels, same ``group``)
and the compositional templates (templates.py) into themes.jsonl.

Usage: python corpora/training/build.py   (from the repository root or this folder)

Each hand line is ``CODES :: text`` where CODES is "-" (no theme) or space-separated theme
codes, optionally prefixed by "b:" (bullet) or "t:" (table row). Lines starting with "#" are
comments. The output is deterministic (fixed seed) and de-duplicated on the text.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

CODES = {
    "IS": "information_sharing", "IA": "interagency_working", "SO": "supervision_oversight",
    "AQ": "assessment_quality", "RR": "risk_recognition", "VC": "voice_of_child",
    "DC": "disguised_compliance", "PO": "professional_optimism", "HM": "hidden_men",
    "MA": "missed_appointments", "EC": "escalation_challenge", "RK": "record_keeping",
    "WR": "workload_resources", "TK": "training_knowledge", "CD": "case_drift",
    "CC": "cultural_context", "DA": "domestic_abuse", "MH": "parental_mental_health",
    "SM": "parental_substance_misuse", "NG": "neglect",
}
KINDS = {"b": "bullet", "t": "table_row"}


def parse_line(line: str, path: Path, n: int) -> dict:
    """``CODES :: text`` -> {"text", "themes", "kind"}; exits naming file and line when malformed."""
    if " :: " not in line:
        raise SystemExit(f"{path.name}:{n}: missing ' :: ' separator")
    codes, text = line.split(" :: ", 1)
    kind = "sentence"
    if len(codes) > 2 and codes[1] == ":" and codes[0] in KINDS:
        kind, codes = KINDS[codes[0]], codes[2:]
    themes = []
    if codes.strip() != "-":
        for c in codes.split():
            if c not in CODES:
                raise SystemExit(f"{path.name}:{n}: unknown code {c!r}")
            themes.append(CODES[c])
    return {"text": text.strip(), "themes": sorted(set(themes)), "kind": kind}


def parse_hand(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        rows.append({**parse_line(line, path, n), "source": f"hand:{path.stem}"})
    return rows


def parse_passages(path: Path) -> list[dict]:
    """Read a passages file: fictional review text in context, one labelled unit per line.

    ``@doc ID | review type | description`` starts a review, ``## heading`` a section,
    ``¶ 4.2`` (or ``¶ -``) a paragraph; unit lines are ``CODES :: text`` as in hand/*.txt.
    Every unit keeps its doc_id, section and para; the group is the review, so that
    cross-validation never splits one review across folds.
    """
    rows: list[dict] = []
    doc = section = para = None
    pindex = 0
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#") and not line.startswith("##"):
            continue
        if line.startswith("@doc"):
            doc = line[4:].split("|", 1)[0].strip()
            if not doc:
                raise SystemExit(f"{path.name}:{n}: '@doc' needs an id")
            section, para = "", None
            continue
        if doc is None:
            raise SystemExit(f"{path.name}:{n}: text before the first '@doc' line")
        if line.startswith("##"):
            section, para = line[2:].strip(), None
            continue
        if line.startswith("\u00b6"):
            num = line[1:].strip()
            pindex += 1
            para = (num if num != "-" else "", pindex)
            continue
        if para is None:  # a unit without a paragraph marker is a paragraph of its own
            pindex += 1
            para = ("", pindex)
        one = parse_line(line, path, n)
        one.update({"source": f"passage:{path.stem}", "doc_id": doc, "section": section,
                    "para": para[0], "paragraph": f"{doc}/{para[1]}", "group": f"doc:{doc}"})
        rows.append(one)
    return rows


def second_annotation(path: Path, rows: list[dict]) -> None:
    """Merge the blind second annotation of a passages file (``second/<name>.txt``) into its rows.

    Each line is ``U0001 :: CODES``, one per unit in file order. A unit keeps both annotators'
    labels (``themes_a``: the author's, ``themes_b``: the second annotator's) and is trained on
    their union: the author planned the passage, and either annotator's reading of it counts.
    """
    second = path.parent / "second" / path.name
    if not second.is_file():
        return
    lines = [ln.strip() for ln in second.read_text(encoding="utf-8").splitlines() if ln.strip()]
    if len(lines) != len(rows):
        raise SystemExit(f"second/{path.name}: {len(lines)} lines for {len(rows)} units")
    for k, (line, r) in enumerate(zip(lines, rows), 1):
        uid, _, codes = line.partition(" :: ")
        if uid != f"U{k:04d}":
            raise SystemExit(f"second/{path.name}:{k}: expected U{k:04d}, found {uid!r}")
        b = [] if codes.strip() == "-" else codes.split()
        unknown = [c for c in b if c not in CODES]
        if unknown:
            raise SystemExit(f"second/{path.name}:{k}: unknown code(s) {unknown}")
        r["themes_a"] = r["themes"]
        r["themes_b"] = sorted({CODES[c] for c in b})
        r["themes"] = sorted(set(r["themes_a"]) | set(r["themes_b"]))


def main() -> None:
    rows: list[dict] = []
    for path in sorted((HERE / "hand").glob("*.txt")):
        rows.extend(parse_hand(path))
    n_hand = len(rows)
    from templates import generate  # noqa: E402

    for i, r in enumerate(rows):
        r["group"] = f"h{i:04d}"
    from augment import variant  # noqa: E402
    import random

    rng = random.Random(7)
    variants = []
    for r in rows:
        if r["kind"] != "sentence" or len(r["text"].split()) < 5:
            continue
        v = variant(r["text"], bool(r["themes"]), rng)
        if v.lower() != r["text"].lower():
            variants.append({**r, "text": v, "source": r["source"].replace("hand:", "hand-variant:")})
    rows.extend(variants)
    # Compound sentences: real review sentences are long and often raise two themes at once.
    from augment import compound  # noqa: E402

    base = [r for r in rows if r["kind"] == "sentence" and len(r["text"].split()) >= 5
            and r["text"].endswith(".")]
    pos = [r for r in base if r["themes"]]
    neg = [r for r in base if not r["themes"]]
    compounds = []
    for i in range(2000):
        mode = i % 10
        if mode < 3:  # two findings on different themes
            a, b = rng.sample(pos, 2)
            if set(a["themes"]) & set(b["themes"]):
                continue
        elif mode < 6:  # a finding with neutral / good-practice context, either order
            a, b = rng.choice(pos), rng.choice(neg)
            if rng.random() < 0.5:
                a, b = b, a
        else:  # two unlabelled sentences
            a, b = rng.sample(neg, 2)
        compounds.append({"text": compound(a["text"], b["text"], rng),
                          "themes": sorted(set(a["themes"]) | set(b["themes"])), "kind": "sentence",
                          "source": "hand-compound", "group": a["group"]})
    rows.extend(compounds)
    for i, r in enumerate(generate(seed=13)):
        r["group"] = f"t{i:04d}"
        rows.append(r)
    # Passages: review text in context (headings, paragraphs), kept as written.
    for path in sorted((HERE / "passages").glob("*.txt")):
        prow = parse_passages(path)
        second_annotation(path, prow)
        rows.extend(prow)
    seen: dict[str, dict] = {}
    for r in rows:
        key = r["text"].lower() + "\x00" + r.get("paragraph", "")
        if key in seen:
            if seen[key]["themes"] != r["themes"]:
                raise SystemExit(f"conflicting labels for duplicate text: {r['text']!r}")
            continue
        seen[key] = r
    out = list(seen.values())
    with open(HERE / "themes.jsonl", "w", encoding="utf-8") as fh:
        for r in out:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts = Counter(t for r in out for t in r["themes"])
    unl = sum(1 for r in out if not r["themes"])
    hand = sum(1 for r in out if r["source"].startswith("hand"))
    print(f"{len(out)} sentences ({hand} hand-written of {n_hand} hand lines), {unl} unlabelled "
          f"({unl / len(out):.0%}), {sum(1 for r in out if len(r['themes']) > 1)} multi-label")
    for c in CODES.values():
        print(f"  {c:28s} {counts[c]}")


if __name__ == "__main__":
    main()

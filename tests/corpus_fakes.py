"""Small fake per-document functions for the corpus tests (importable by worker processes).

A fake "review" is a text file; keywords in it decide what the fake pipeline does:
``CRASH`` kills the worker process, ``SLOW`` sleeps, ``SPIN`` loops in Python,
``BAD`` raises a ReadError, ``BUG`` raises a plain exception.  Each sentence that
contains a theme id yields a mention of that theme; ``NOT`` marks it negated.
Lines ``year: 2019``, ``type: SCR`` and ``board: X`` give the metadata.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

THEMES = {"information_sharing": "practice", "hidden_men": "practice", "risk_recognition": "practice",
          "neglect": "context", "domestic_abuse": "context"}


def _log(path: str) -> None:
    log = os.environ.get("SCA_FAKE_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(Path(path).name + "\n")


def fake_pipeline(path: str, options: dict) -> dict:
    _log(path)
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    if "CRASH" in text:
        os._exit(3)
    if "SLOW" in text:
        time.sleep(float(re.search(r"SLOW([\d.]*)", text).group(1) or 30))
    if "SPIN" in text:
        end = time.monotonic() + 30
        while time.monotonic() < end:
            pass
    if "BAD" in text:
        from sca.errors import CorruptDocumentError

        raise CorruptDocumentError("the fake file is garbled", path)
    if "BUG" in text:
        raise ZeroDivisionError("fake bug")
    meta = {"format": Path(path).suffix.lstrip("."), "pages": 1, "words": len(text.split())}
    for key, field in (("year", "year"), ("type", "review_type"), ("board", "board")):
        m = re.search(rf"^{key}: *(.+)$", text, re.M)
        if m:
            meta[field] = int(m.group(1)) if field == "year" else m.group(1).strip()
    mentions, events = [], []
    for p_i, para in enumerate(text.split("\n\n")):
        for s_i, sent in enumerate(s for s in para.split(".") if s.strip()):
            for theme, family in THEMES.items():
                if theme in sent:
                    mentions.append({
                        "doc_id": "ignored", "page": 1, "section": "Analysis", "section_kind": "analysis",
                        "para": str(p_i + 1), "sentence": sent.strip(), "theme": theme, "family": family,
                        "score": 1.0, "method": "fake", "assertion": "negated" if "NOT" in sent else "affirmed",
                        "evidence": theme, "paragraph_index": p_i, "sentence_id": p_i * 100 + s_i,
                    })
            m = re.search(r"(\d{4}-\d\d-\d\d) (\w+) visited", sent)
            if m:
                events.append({"doc_id": "ignored", "event_id": f"e{len(events) + 1}", "date": m.group(1),
                               "agency": m.group(2), "contact_type": "home_visit", "child_seen": True,
                               "concern": "concern" in sent, "page": 1, "para": str(p_i + 1),
                               "sentence": sent.strip()})
    return {"metadata": meta, "mentions": mentions, "events": events, "missed": []}


def not_a_dict(path: str, options: dict):
    return [path]

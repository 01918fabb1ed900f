"""Agency gazetteer and family-role recognition.

The gazetteer maps every way a review writes a service, team or role
("the MASH", "health visitor", "A&E") to a canonical agency id.  It is data:
``sca/data/agencies.yaml``; users extend it with their own YAML of the same
layout (``Gazetteer.load(extra="mine.yaml")``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import yaml

from sca.errors import GazetteerError

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
DEFAULT_AGENCIES = DATA_DIR / "agencies.yaml"
DEFAULT_PATTERNS = DATA_DIR / "events.yaml"


@dataclass(frozen=True)
class Mention:
    """One recognised mention of an agency or family member in a text."""

    id: str  # canonical agency id or family role
    kind: str  # "agency" or "family"
    start: int
    end: int
    text: str


def _load_yaml(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except FileNotFoundError:
        raise GazetteerError(f"{path}: gazetteer file not found") from None
    except yaml.YAMLError as exc:
        raise GazetteerError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise GazetteerError(f"{path}: expected a mapping at the top level")
    return data


def _validate_agencies(data: dict, path: Path) -> dict[str, dict]:
    agencies = data.get("agencies")
    if not isinstance(agencies, dict) or not agencies:
        raise GazetteerError(f"{path}: needs a non-empty 'agencies' mapping of id -> {{forms, acronyms}}")
    out: dict[str, dict] = {}
    for aid, entry in agencies.items():
        if not isinstance(aid, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", aid):
            raise GazetteerError(f"{path}: agency id {aid!r} must be lower-case letters, digits and underscores")
        entry = entry or {}
        if not isinstance(entry, dict):
            raise GazetteerError(f"{path}: agency {aid!r} must map to a mapping with 'forms' and/or 'acronyms'")
        forms = entry.get("forms") or []
        acr = entry.get("acronyms") or []
        if not isinstance(forms, list) or not isinstance(acr, list):
            raise GazetteerError(f"{path}: agency {aid!r}: 'forms' and 'acronyms' must be lists")
        for f in [*forms, *acr]:
            if not isinstance(f, str) or not f.strip():
                raise GazetteerError(f"{path}: agency {aid!r}: surface form {f!r} is not a non-empty string")
        out[aid] = {"label": entry.get("label", aid.replace("_", " ")), "forms": forms, "acronyms": acr}
    return out


def _form_body(form: str) -> str:
    return re.escape(form.strip()).replace(r"\ ", r"\s+").replace("'", "['’]")


def _alternation(forms: list[str], flags: int = 0) -> tuple[re.Pattern | None, list[int]]:
    """One regex for many surface forms, and the form (index into ``forms``) of each of its groups.

    A form matches only between word boundaries (no letter, digit, underscore or "&" either
    side), and at any position the first form in list order that matches wins: the same
    matches as one alternation of ``(?<![\\w&])form(?![\\w&])`` per form.  But the boundary
    check is made once per position instead of once per form, and the forms are grouped by
    their first character behind a lookahead, so a position only tries the forms that can
    start there (the engine used to try every form at every position, most of the time of
    event extraction).  Groups are numbered in that grouped order; the list maps them back.
    """
    if not forms:
        return None, []
    fold = bool(flags & re.IGNORECASE)

    def first(form: str) -> str:
        c = form.strip()[0]
        return "'" if c in "'’" else (c.lower() if fold else c)

    buckets: dict[str, list[int]] = {}
    for k, f in enumerate(forms):
        buckets.setdefault(first(f), []).append(k)
    if fold and not all(c.isascii() for c in buckets):
        # case folding beyond ASCII could let one character open two groups: keep one group
        buckets = {"": list(range(len(forms)))}
    order: list[int] = []
    alts: list[str] = []
    for c, members in buckets.items():
        if c == "'":
            chars = "'’"
        elif c:
            chars = re.escape(c)
        else:
            chars = "".join(re.escape(x) for x in sorted({forms[k].strip()[0] for k in members} | {"’"}))
        alts.append(f"(?=[{chars}])(?:" + "|".join(f"({_form_body(forms[k])})" for k in members) + ")")
        order += members
    return re.compile(rf"(?<![\w&])(?:{'|'.join(alts)})(?![\w&])", flags), order


class Gazetteer:
    """Agency surface forms -> canonical ids, plus family-role patterns."""

    def __init__(self, agencies: dict[str, dict], family: dict[str, list[str]] | None = None,
                 priority_family: list[tuple[str, str]] | None = None):
        self.agencies = agencies
        self.family = family or {}
        self.priority_family = list(priority_family or [])
        forms: list[tuple[str, str, bool]] = []
        for aid, entry in agencies.items():
            forms += [(f, aid, False) for f in entry["forms"]]
            forms += [(a, aid, True) for a in entry["acronyms"]]
        # longest first so "community mental health team" beats "mental health team"
        forms.sort(key=lambda t: -len(t[0]))
        self._ci: list[tuple[re.Pattern, str]] = []
        self._cs: list[tuple[re.Pattern, str]] = []
        ci_parts, cs_parts = [], []
        self._ci_ids: list[str] = []
        self._cs_ids: list[str] = []
        for form, aid, case in forms:
            if case:
                cs_parts.append(form)
                self._cs_ids.append(aid)
            else:
                ci_parts.append(form)
                self._ci_ids.append(aid)
        self._ci_re, order = _alternation(ci_parts, re.IGNORECASE)
        self._ci_ids = [self._ci_ids[k] for k in order]
        self._cs_re, order = _alternation(cs_parts)
        self._cs_ids = [self._cs_ids[k] for k in order]
        self._family: list[tuple[re.Pattern, str]] = []
        pairs = self.priority_family + [(role, p) for role, pats in self.family.items() for p in pats]
        for role, p in pairs:
            if True:
                try:
                    self._family.append((re.compile(p), role))
                except re.error as exc:
                    raise GazetteerError(f"family pattern for {role!r} is not a valid regex: {p!r} ({exc})") from None

    # -- construction ---------------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path | None = None, extra: str | Path | Iterable[str | Path] | None = None) -> "Gazetteer":
        path = Path(path) if path else DEFAULT_AGENCIES
        agencies = _validate_agencies(_load_yaml(path), path)
        extras = [] if extra is None else ([extra] if isinstance(extra, (str, Path)) else list(extra))
        for e in extras:
            ep = Path(e)
            for aid, entry in _validate_agencies(_load_yaml(ep), ep).items():
                if aid in agencies:
                    agencies[aid]["forms"] = agencies[aid]["forms"] + entry["forms"]
                    agencies[aid]["acronyms"] = agencies[aid]["acronyms"] + entry["acronyms"]
                else:
                    agencies[aid] = entry
        patterns = load_patterns()
        return cls(agencies, patterns.get("family", {}))

    @property
    def ids(self) -> list[str]:
        return list(self.agencies)

    # -- recognition ----------------------------------------------------------------
    def find_agencies(self, text: str) -> list[Mention]:
        """Agency mentions in ``text``, non-overlapping, in order of position."""
        found: list[Mention] = []
        for rx, ids in ((self._cs_re, self._cs_ids), (self._ci_re, self._ci_ids)):
            if rx is None:
                continue
            for m in rx.finditer(text):
                gi = m.lastindex - 1 if m.lastindex else 0
                found.append(Mention(ids[gi], "agency", m.start(), m.end(), m.group(0)))
        return _non_overlapping(found)

    def agency_of(self, text: str) -> str | None:
        """The canonical id of the first agency named in ``text`` (e.g. a table's Agency cell)."""
        ms = self.find_agencies(text)
        return ms[0].id if ms else None

    def find_family(self, text: str) -> list[Mention]:
        found = [Mention(role, "family", m.start(), m.end(), m.group(0)) for rx, role in self._family for m in rx.finditer(text)]
        return _non_overlapping(found)

    def family_role(self, text: str) -> str | None:
        ms = self.find_family(text)
        return ms[0].id if ms else None

    def find(self, text: str) -> list[Mention]:
        return _non_overlapping(self.find_agencies(text) + self.find_family(text))


def _non_overlapping(mentions: list[Mention]) -> list[Mention]:
    mentions = sorted(mentions, key=lambda m: (m.start, -(m.end - m.start)))
    out: list[Mention] = []
    for m in mentions:
        if out and m.start < out[-1].end:
            if (m.end - m.start) > (out[-1].end - out[-1].start):
                out[-1] = m
            continue
        out.append(m)
    return out


@lru_cache(maxsize=4)
def _patterns_cached(path: str) -> dict:
    return _load_yaml(Path(path))


def load_patterns(path: str | Path | None = None) -> dict:
    """The cue patterns of ``sca/data/events.yaml`` (or a user file of the same layout)."""
    return _patterns_cached(str(path or DEFAULT_PATTERNS))


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return Gazetteer.load()

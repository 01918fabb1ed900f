"""Chronology events: one row per contact between an agency and the family (or another agency).

Reads the chronology of a :class:`sca.document.Review` – sections of kind
``chronology`` (or headed like one, or headed by a date span), and any table with a
date column and an event column wherever it sits – and returns a DataFrame with
the columns of :data:`EVENT_COLUMNS`.  Every row keeps its provenance (page,
paragraph number, section, the sentence it came from).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from sca.document import Paragraph, Review, Section, Table
from sca.events.dates import DateContext, DateMatch, find_birth_dates, find_dates, parse_date
from sca.events.gazetteer import Gazetteer, Mention, default_gazetteer, load_patterns
from sca.events.missed import inaction_cue

EVENT_COLUMNS = [
    "doc_id", "event_id", "date", "date_end", "date_precision", "date_text", "agency", "counterpart",
    "contact_type", "child_seen", "concern", "page", "para", "section", "sentence", "source",
]

#: Section kinds that never hold the chronology, whatever their paragraphs look like.
NON_CHRONOLOGY_KINDS = {
    "cover", "contents", "introduction", "methodology", "terms_of_reference", "analysis", "findings",
    "recommendations", "glossary",
}

WEAK_TYPES = {"appointment", "other"}
#: Contact types that exist because someone was worried: they record a concern by their nature.
CONCERN_TYPES = {"missed_appointment", "police_incident", "strategy_discussion", "child_protection_conference", "referral", "information_shared", "assessment"}
TRANSFER_TYPES = {"referral", "information_shared"}


# -- compiled patterns ---------------------------------------------------------------------
@dataclass
class _Cues:
    types: list[tuple[str, list[re.Pattern]]]
    concern: list[re.Pattern]
    no_concern: list[re.Pattern]
    seen_no: list[re.Pattern]
    seen_yes: list[re.Pattern]
    headings: list[re.Pattern]


def _compile(pats, flags=re.I):
    return [re.compile(p, flags) for p in pats or []]


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    p = load_patterns()
    # "<type>_<anything>" entries are extra cue groups of <type> placed earlier in the order
    types = [(re.sub(r"_(strong|other)$", "", t), _compile(v)) for t, v in (p.get("contact_types") or {}).items() if v]
    return _Cues(
        types=types,
        concern=_compile(p.get("concern")),
        no_concern=_compile(p.get("no_concern")),
        seen_no=_compile(p.get("child_seen_no")),
        seen_yes=_compile(p.get("child_seen_yes")),
        headings=_compile(p.get("chronology_headings")),
    )


# -- sentence splitting ----------------------------------------------------------------------
def _split_sentences(text: str) -> list[str]:
    try:
        from sca.nlp import split_sentences  # shared splitter (helper "themes")

        return [s for _, _, s in split_sentences(text) if s.strip()]
    except Exception:  # noqa: BLE001 - fall back to a simple splitter while sca.nlp is absent/broken
        parts = re.split(r"(?<=[.!?][\"'”’)]?)\s+(?=[A-Z0-9\"“(])", text.strip())
        return [p for p in parts if p.strip()]


_CLAUSE_SPLIT = re.compile(
    r";\s+|\.\s+(?=[A-Z])|,?\s+and\s+(?=(?:then\s+)?(?:on|in|at|the|a|an|she|he|they|officers|police|was|were|referred|sent|made|passed|told|informed|telephoned|rang|visited|notified)\b)|,\s+(?=(?:but|where|when|after which)\b)|\s+or\s+(?=on\s)",
)


def _clauses(sentence: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for m in _CLAUSE_SPLIT.finditer(sentence):
        if m.start() > pos:
            out.append((pos, sentence[pos : m.start()]))
        pos = m.end()
    if pos < len(sentence):
        out.append((pos, sentence[pos:]))
    return [(o, c) for o, c in out if c.strip()]


# -- classification helpers ------------------------------------------------------------------
def contact_type_of(text: str) -> tuple[str, bool]:
    """(contact type, strong?) for a clause; ``("other", False)`` when no cue matches."""
    for t, pats in _cues().types:
        for rx in pats:
            if rx.search(text):
                strong = not (t == "appointment" and not re.search(r"appointment|clinic|consultation|booking|booked|check|review|immunisation|supervision|assessment", text, re.I))
                return t, strong
    return "other", False


def is_concern(text: str) -> bool:
    c = _cues()
    hit = any(rx.search(text) for rx in c.concern)
    if not hit:
        return False
    # a single weak cue in an explicitly routine entry does not count
    return not (any(rx.search(text) for rx in c.no_concern) and not re.search(r"injur|bruis|disclos|assault|domestic|neglect|not brought|did not attend", text, re.I))


_CHILD_WORDS = re.compile(r"\b(the )?(child|children|baby|babies|infant|toddler|young person|siblings?|boy|girl|son|daughter|twins?)\b", re.I)
_UNBORN = re.compile(r"\b(unborn|pregnan\w*|antenatal|booking|weeks'? gestation)\b", re.I)
NO_CONTACT_TYPES = ("referral", "information_shared", "strategy_discussion", "child_protection_conference", "missed_appointment", "phone_call")


def child_seen_of(text: str, contact_type: str, gaz: Gazetteer, counterpart: str | None = None) -> str:
    """yes / no / unknown: was the child seen at this contact, as far as the text says."""
    c = _cues()
    if contact_type in NO_CONTACT_TYPES:
        return "no"
    if any(rx.search(text) for rx in c.seen_no):
        return "no"
    child = [m for m in gaz.find_family(text) if m.id in ("child", "sibling")] or list(_CHILD_WORDS.finditer(text))
    if not child:
        return "no"  # the entry does not mention the child at all
    if any(rx.search(text) for rx in c.seen_yes) or contact_type in ("hospital_attendance", "home_visit", "appointment", "assessment") or counterpart == "child":
        return "yes"
    return "unknown"


_TO_BEFORE = re.compile(r"\b(to|with|for|from|into|about|at|in|towards|copied to|via)\s+(?:the\s+|a\s+|an\s+|its\s+|his\s+|her\s+|their\s+)?(?:\w+\s+){0,2}$", re.I)
_BY_BEFORE = re.compile(r"\bby\s+(?:the\s+|a\s+|an\s+)?(?:\w+\s+){0,2}$", re.I)


def _roles(clause: str, agencies: list[Mention]) -> tuple[list[Mention], list[Mention]]:
    """Split agency mentions into likely actors and likely recipients."""
    actors, recips = [], []
    for m in agencies:
        before = clause[max(0, m.start - 40) : m.start]
        if _BY_BEFORE.search(before):
            actors.insert(0, m)
        elif _TO_BEFORE.search(before):
            recips.append(m)
        else:
            actors.append(m)
    return actors, recips


_NEGATED = re.compile(r"^\W*(?:no|neither|nor|none)\b|\bneither\b[^.;]{0,60}\bnor\b[^.;]{0,60}\b(?:was|were)\b|\b(?:no|not)\s+(?:\w+\s+){0,3}(?:was|were)\s+(?:made|sent|held|shared|completed|carried out|undertaken|submitted|arranged)\b|\b(?:was|were)\s+not\s+(?:made|sent|held|shared|invited|informed|told|contacted|consulted|referred|notified|copied)\b", re.I)
_PLURAL = re.compile(r"\b(either|both|two|each|twice|three|several)\b", re.I)
_OF_BEFORE = re.compile(r"\bof\s+(?:the\s+)?$", re.I)


_CAUSE = re.compile(r"\b(after|following|because of|in response to|as a result of) (an? |the |his |her |their )?(\w+ ){0,3}(referral|notification|call|report)s?\b", re.I)


def contact_type_at(text: str) -> tuple[str, bool, int]:
    """(contact type, strong?, position of the cue) for a clause."""
    text = _CAUSE.sub(lambda m: " " * len(m.group(0)), text)  # "assessment after GP referral" is an assessment
    for t, pats in _cues().types:
        for rx in pats:
            m = rx.search(text)
            if m:
                strong = not (t == "appointment" and not re.search(r"appointment|clinic|consultation|booking|booked|check|review|immunisation|supervision|assessment", text, re.I))
                return t, strong, m.start()
    return "other", False, len(text)


def _actor(clause: str, ags: list[Mention], fam: list[Mention], cue_at: int) -> tuple[str | None, list[Mention]]:
    """The acting agency of a clause and the other agencies it names."""
    if not ags:
        return None, []
    by = [m for m in ags if _BY_BEFORE.search(clause[max(0, m.start - 40) : m.start])]
    if by:
        return by[0].id, [m for m in ags if m is not by[0]]
    subj = [m for m in ags if m.start <= cue_at and not _TO_BEFORE.search(clause[max(0, m.start - 40) : m.start])]
    if subj:
        return subj[0].id, [m for m in ags if m is not subj[0]]
    fam_first = bool(fam) and fam[0].start < ags[0].start and fam[0].start <= cue_at
    free = [m for m in ags if not _TO_BEFORE.search(clause[max(0, m.start - 40) : m.start])]
    if free and (fam_first or not fam or free[0].start < fam[0].start or cue_at >= len(clause)):
        return free[0].id, [m for m in ags if m is not free[0]]
    if fam_first:
        # "Mother took Child L to the GP", "Mother told the family support worker"
        return ags[0].id, ags[1:]
    return None, ags


def _family_counterpart(text: str, gaz: Gazetteer, contact_type: str) -> str | None:
    fam = gaz.find_family(text)
    if not fam:
        return None
    ids = [m.id for m in fam]
    if contact_type in ("home_visit", "phone_call", "information_shared", "referral", "assessment", "child_protection_conference") and "mother" in ids:
        return "mother"
    if contact_type in ("appointment", "hospital_attendance", "missed_appointment") and "child" in ids:
        return "child"
    return ids[0]


# -- the extractor ----------------------------------------------------------------------------
@dataclass
class _Unit:
    text: str
    page: int | None
    para: str | None
    section: str
    source: str  # "prose" or "table"
    date: DateMatch | None = None  # a table row's date cell
    agencies: tuple[str, ...] = ()  # a table row's agency cell
    seen: str | None = None  # a table row's child-seen cell
    heading_dates: tuple[DateMatch, ...] = ()
    all_dates: tuple[DateMatch, ...] = ()  # every date in a table row's date cell


def unit_heading_and(sentence: str, unit: "_Unit") -> str:
    """The sentence, preceded by its section heading (which may name the child it is about)."""
    return f"{unit.section} {sentence}"


def _is_chronology_heading(heading: str) -> bool:
    return any(rx.search(heading) for rx in _cues().headings)


def _heading_is_date(heading: str) -> bool:
    h = re.sub(r"^[\d.\s]+", "", heading).strip()
    ds = find_dates(h)
    if not ds:
        return False
    covered = sum(d.end - d.start for d in ds)
    return covered >= 0.5 * len(h)


def _dated_share(section: Section, min_paras: int = 3) -> float:
    paras = [p for p in section.paragraphs if p.kind != "table_row"]
    if not paras or len(paras) < min_paras:
        return 0.0
    probe = lambda t: find_dates(t, DateContext(year=2000, last=__import__("datetime").date(2000, 1, 1)), update=False)  # noqa: E731
    return sum(1 for p in paras if any(d.precision != "relative" for d in probe(p.text))) / len(paras)


def chronology_sections(review: Review) -> list[Section]:
    """Sections that hold the chronology (by kind, heading, or density of dates)."""
    out: list[Section] = []
    in_chron_level: int | None = None
    non_chron_level: int | None = None
    for s in review.sections:
        if in_chron_level is not None and s.level <= in_chron_level:
            in_chron_level = None
        if non_chron_level is not None and s.level <= non_chron_level:
            non_chron_level = None
        if s.kind in NON_CHRONOLOGY_KINDS and s.level <= (non_chron_level or 99):
            non_chron_level = s.level
        if non_chron_level is not None and s.level > non_chron_level and s.kind != "chronology":
            continue  # a subsection of the analysis, findings, ...
        chron = (
            s.kind == "chronology"
            or (s.kind not in NON_CHRONOLOGY_KINDS and _is_chronology_heading(s.heading))
            or in_chron_level is not None and s.kind not in NON_CHRONOLOGY_KINDS
            or (s.kind not in NON_CHRONOLOGY_KINDS and _heading_is_date(s.heading) and _dated_share(s, 1) > 0)
            or (s.kind not in NON_CHRONOLOGY_KINDS | {"family_background"} and _dated_share(s) >= 0.6)
        )
        if chron:
            out.append(s)
            if in_chron_level is None and (s.kind == "chronology" or _is_chronology_heading(s.heading)):
                in_chron_level = s.level
    return out


_DATE_HEAD = re.compile(r"^\s*(date|when|date of (contact|event)|dates?\b)", re.I)
_AGENCY_HEAD = re.compile(r"agenc|organisation|organization|service|who|source|professional", re.I)
_EVENT_HEAD = re.compile(r"event|detail|description|what happened|action|contact|summary|information|entry|notes?", re.I)
_SEEN_HEAD = re.compile(r"child seen|seen\??$|child (was )?seen", re.I)


def chronology_table_columns(table: Table) -> dict[str, int] | None:
    """Column positions {date, event, agency?, seen?} when ``table`` is a chronology table."""
    if len(table.rows) < 2:
        return None
    head = [c.strip() for c in table.rows[0]]
    cols: dict[str, int] = {}
    for i, h in enumerate(head):
        if "date" not in cols and _DATE_HEAD.search(h):
            cols["date"] = i
        elif "seen" not in cols and _SEEN_HEAD.search(h):
            cols["seen"] = i
        elif "agency" not in cols and _AGENCY_HEAD.search(h) and not _EVENT_HEAD.search(h):
            cols["agency"] = i
        elif "event" not in cols and _EVENT_HEAD.search(h):
            cols["event"] = i
    body = table.rows[1:]
    if "date" not in cols:
        # no header: a first column of dates
        share = sum(1 for r in table.rows if r and parse_date(r[0])) / len(table.rows)
        if share < 0.6:
            return None
        cols = {"date": 0}
        body = table.rows
    if "event" not in cols:
        lengths = {}
        for i in range(max(len(r) for r in table.rows)):
            if i in cols.values():
                continue
            lengths[i] = sum(len(r[i]) for r in body if i < len(r))
        if not lengths:
            return None
        cols["event"] = max(lengths, key=lengths.get)
    dated = sum(1 for r in body if cols["date"] < len(r) and parse_date(r[cols["date"]]))
    if dated < max(1, 0.5 * len(body)):
        return None
    cols["_header"] = 0 if body is not table.rows else -1
    return cols


def _seen_cell(cell: str) -> str | None:
    c = cell.strip().lower()
    if not c or c in {"-", "–", "—"}:
        return None
    if c.startswith("yes") or c.startswith("y ") or c == "y":
        return "yes"
    if c.startswith("no") or c.startswith("n/a") or c == "n" or "not seen" in c or "unborn" in c:
        return "no"
    return "unknown"


def _table_units(review: Review, gaz: Gazetteer) -> tuple[list[_Unit], set[str]]:
    units: list[_Unit] = []
    seen_texts: set[str] = set()
    for t in review.tables:
        cols = chronology_table_columns(t)
        if cols is None:
            continue
        start = 0 if cols["_header"] == -1 else 1
        for r in t.rows[start:]:
            cells = r + [""] * (max(cols.values()) + 1 - len(r))
            text = cells[cols["event"]].strip()
            seen_texts.add(_norm(" ".join(r)))
            seen_texts.add(_norm(text))
            if not text:
                continue
            date = parse_date(cells[cols["date"]])
            agencies: tuple[str, ...] = ()
            if "agency" in cols:
                cell = cells[cols["agency"]]
                ids = []
                for part in re.split(r";|/|&(?!E)|\band\b|,", cell):
                    aid = gaz.agency_of(part)
                    if aid and aid not in ids:
                        ids.append(aid)
                agencies = tuple(ids) if ids else ("?",)  # "?" = a named agency we do not know ("National")
            seen = _seen_cell(cells[cols["seen"]]) if "seen" in cols else None
            units.append(_Unit(text, t.page, cells[cols["date"]].strip(), t.section, "table", date, agencies, seen,
                               all_dates=tuple(find_dates(cells[cols["date"]]))))
    return units, seen_texts


def _norm(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", s.lower())


def _row_paragraph_cells(text: str) -> list[str] | None:
    if "|" in text:
        cells = [c.strip() for c in text.strip().strip("|").split("|")]
    elif "\t" in text:
        cells = [c.strip() for c in text.split("\t")]
    else:
        return None
    return cells if len(cells) >= 2 else None


def _prose_units(review: Review, table_texts: set[str], gaz: Gazetteer) -> list[_Unit]:
    units: list[_Unit] = []
    for s in chronology_sections(review):
        head_dates = tuple(find_dates(re.sub(r"^[\d.\s]+", "", s.heading)))
        for p in s.paragraphs:
            if p.kind == "table_row":
                n = _norm(p.text)
                if n in table_texts or any(n and n in t for t in table_texts):
                    continue
                cells = _row_paragraph_cells(p.text)
                if cells and parse_date(cells[0]):
                    ev = max(cells[1:], key=len)
                    ag = tuple(a for a in (gaz.agency_of(c) for c in cells[1:] if c is not ev) if a)
                    units.append(_Unit(ev, p.page, p.number or cells[0], s.heading, "table", parse_date(cells[0]), ag))
                    continue
            units.append(_Unit(p.text, p.page, p.number, s.heading, "prose", heading_dates=head_dates))
            head_dates = ()
    return units


class EventExtractor:
    """Turns a review's chronology into contact events (see :func:`extract_events`)."""

    def __init__(self, gazetteer: Gazetteer | None = None):
        self.gaz = gazetteer or default_gazetteer()

    # one clause -> candidate events
    def _clause_events(self, clause: str, sentence: str, dates: list[DateMatch], default_date: DateMatch | None,
                       default_agency: str | None, unit: _Unit, first_in_unit: bool, prev: dict | None = None) -> list[dict]:
        gaz = self.gaz
        if _NEGATED.search(clause) and not re.search(r"not brought|did not attend|failed to attend|no (reply|answer|access)", clause, re.I):
            return []
        ctype, strong, cue_at = contact_type_at(clause)
        if ctype == "other" and prev is not None and dates and not gaz.find_agencies(clause) and len(clause) < 60:
            ctype, strong = prev["contact_type"], prev["strong"]  # "... on 21/11/16 or on 16/01/17"
        ags = [m for m in gaz.find_agencies(clause) if not _OF_BEFORE.search(clause[max(0, m.start - 6) : m.start])]
        fam = gaz.find_family(clause)
        actor, recips = _actor(clause, ags, fam, cue_at)
        fam_subject = bool(fam) and fam[0].start <= cue_at and (not ags or fam[0].start < ags[0].start)
        if fam_subject and ctype == "information_shared":
            # a family member telling a professional is a contact, not information sharing
            ctype, strong = ("other" if fam[0].id in ("child", "sibling") else "appointment"), True
        if fam_subject and ctype == "referral" and re.search(r"\b(referred|refer) (herself|himself|themselves)\b|self-referr", clause, re.I):
            ctype, strong = "appointment", True
        if actor is None and default_agency is None and ags:
            actor = ags[0].id  # the only agency named, e.g. the place where it happened ("at school")
        row_agencies = [a for a in unit.agencies if a != "?"]
        if unit.source == "table" and row_agencies:
            if actor not in row_agencies:
                # the row's agency acts unless another agency is clearly the subject of this clause
                subject = actor is not None and ags and ags[0].id == actor and ags[0].start < max(cue_at, 1) and ags[0].start < 30
                if not (subject and strong and not first_in_unit):
                    if actor:
                        recips = [m for m in ags if m.id == actor][:1] + recips
                    actor = row_agencies[0]
        if ctype in ("child_protection_conference", "strategy_discussion") and not (ags and ags[0].start < cue_at and ags[0].id == actor):
            actor = "childrens_social_care"  # conferences and strategy discussions are convened by children's social care
        if ctype == "police_incident" and actor != "police" and not any(m.id == "police" for m in ags) and re.search(r"\b(arrested|stopped and searched|cautioned|charged|detained)\b", clause, re.I):
            actor = "police"  # an arrest is police action even when the police are not named
        if actor is None:
            actor = default_agency
        if actor is None:
            return []
        counterpart = None
        others = [m.id for m in recips if m.id != actor] + [m.id for m in ags if m.id != actor]
        if ctype in TRANSFER_TYPES or ctype == "strategy_discussion":
            if others:
                counterpart = others[0]
        elif ctype == "child_protection_conference":
            counterpart = "mother"  # a conference is about the family, whoever else attends
        if counterpart is None:
            counterpart = _family_counterpart(clause, gaz, ctype) or _family_counterpart(sentence, gaz, ctype)
            if counterpart is None and ctype in ("appointment", "hospital_attendance", "missed_appointment", "assessment", "other"):
                counterpart = "child" if any(m.id == "child" for m in gaz.find_family(unit.text)) else None
            if counterpart is None:
                unit_roles = [m.id for m in gaz.find_family(unit.text)]
                if unit_roles and not {"mother", "child"} & set(unit_roles):
                    counterpart = unit_roles[0]  # e.g. the adult at the centre of a safeguarding adults review
        if counterpart is None:
            adult_service = actor in ("adult_mental_health", "substance_misuse", "probation", "midwifery", "domestic_abuse_service", "housing")
            child_first = actor in ("hospital", "emergency_department", "education", "early_years", "camhs") or (
                ctype in ("hospital_attendance", "assessment", "missed_appointment") and not adult_service)
            counterpart = others[0] if others else ("child" if child_first else "mother")
        if ctype == "home_visit" and counterpart in ("child", "sibling") and not re.search(r"\bseen (alone|on (his|her) own)\b", sentence, re.I):
            counterpart = "mother"  # a home visit is to the family's carer unless the child is seen alone
        if ctype == "phone_call" and counterpart in ("childrens_social_care", "police") and actor != counterpart:
            ctype = "referral"  # telephoning children's social care or the police about a child is a referral
        if ctype == "information_shared" and counterpart == actor:
            ctype = "other"  # told a colleague in the same agency
        if ctype == "other" and actor in ("emergency_department", "hospital") and counterpart in ("child", "mother", "father", "partner", "sibling"):
            ctype = "hospital_attendance"
        use_dates = dates or ([default_date] if default_date else [None])
        return [
            {"date": d, "agency": actor, "counterpart": counterpart, "contact_type": ctype, "strong": strong,
             "clause": clause, "sentence": sentence, "explicit_date": bool(dates),
             "subject_new": bool(ags) and ags[0].id == actor and ags[0].start < 30}
            for d in use_dates
        ]

    def _unit_events(self, unit: _Unit, ctx: DateContext) -> list[dict]:
        gaz = self.gaz
        events: list[dict] = []
        for hd in unit.heading_dates:
            if hd.date:
                ctx.update(hd)
        unit_date: DateMatch | None = None
        if unit.date is not None:
            # resolve the row's date against the running context (rows without a year)
            unit_date = parse_date(unit.date.text, ctx) or unit.date
            if unit_date.date:
                ctx.update(unit_date)
        default_agency = unit.agencies[0] if unit.agencies and unit.agencies[0] != "?" else None
        if unit.agencies and unit.agencies[0] == "?":
            return []  # a context row ("National") with no agency we know
        last_date = unit_date
        pending = None
        sentences = _split_sentences(unit.text)
        for si, sent in enumerate(sentences):
            named = [c for c in re.findall(r"\b(?:Child|Baby|Young Person)\s+[A-Z0-9]{1,3}\b", unit_heading_and(sent, unit)) if c in ctx.dob]
            if named:
                ctx.subject = named[-1]
            dates_all = find_dates(sent, ctx)
            absolute = [d for d in dates_all if d.date is not None and d.precision != "relative"]
            sent_events: list[dict] = []
            for ci, (off, clause) in enumerate(_clauses(sent)):
                cdates = [d for d in dates_all if d.date is not None and off <= d.start < off + len(clause)]
                if any(d.precision != "relative" for d in cdates):
                    cdates = [d for d in cdates if d.precision != "relative"]
                elif cdates and absolute:
                    cdates = absolute[:1]  # "In the spring of 2014, when Child 1 was seven, ..."
                multi = [d for d in unit.all_dates if d.date is not None]
                if not cdates and len(multi) > 1 and (not events and not sent_events or _PLURAL.search(clause)):
                    cdates = multi
                evs = self._clause_events(clause, sent, cdates, last_date, default_agency, unit, si == 0 and ci == 0,
                                          prev=sent_events[-1] if sent_events else None)
                if not evs and cdates and not events and not sent_events and pending is None:
                    ctype, strong, _ = contact_type_at(clause)
                    if strong:
                        pending = (clause, sent, cdates, si, ctype)  # a dated contact whose agency is named later
                elif evs and pending is not None:
                    pclause, psent, pdates, psi, ptype = pending
                    pending = None
                    pre = self._clause_events(pclause, psent, pdates, None, evs[0]["agency"], unit, True)
                    for e in pre:
                        e["si"] = psi
                    if pre:
                        events.extend(self._select(pre, events, psi, unit))
                for e in evs:
                    e["si"] = si
                sent_events.extend(evs)
                if cdates:
                    last_date = cdates[-1]
                if evs:
                    default_agency = evs[-1]["agency"]
            events.extend(self._select(sent_events, events, si, unit))
        # evidence: the event's sentence and the following sentences that started no event of their own
        starts = sorted({e["si"] for e in events})
        for e in events:
            later = [x for x in starts if x > e["si"]]
            stop = later[0] if later else len(sentences)
            e["evidence"] = " ".join(sentences[e["si"] : stop])
        return events

    @staticmethod
    def _select(cands: list[dict], prior: list[dict], si: int, unit: _Unit) -> list[dict]:
        """Keep the clause events that are separate contacts; merge the rest."""
        kept: list[dict] = []
        for e in cands:
            if e["date"] is None:
                continue
            same = [k for k in prior + kept if k["agency"] == e["agency"] and k["date"].date == e["date"].date]
            if same:
                k = same[-1]
                # a second, different transfer (to another counterpart) is its own contact
                if e["contact_type"] in TRANSFER_TYPES and e["strong"] and (
                    k["contact_type"] not in TRANSFER_TYPES or k["counterpart"] != e["counterpart"]
                ) and e["counterpart"] not in ("mother", "father", "child", k["counterpart"]):
                    kept.append(e)
                    continue
                if e["contact_type"] == "missed_appointment" and k["contact_type"] != "missed_appointment" and e["explicit_date"]:
                    kept.append(e)
                    continue
                # otherwise enrich the earlier event
                if e["contact_type"] == "missed_appointment" and k["contact_type"] in ("home_visit", "phone_call", "appointment"):
                    k["contact_type"] = "missed_appointment"
                elif (k["contact_type"] in WEAK_TYPES and not k["strong"] and e["contact_type"] not in WEAK_TYPES) or (
                    e["contact_type"] in ("strategy_discussion", "child_protection_conference") and k["contact_type"] not in ("strategy_discussion", "child_protection_conference")
                ):
                    k["contact_type"] = e["contact_type"]
                    if e["contact_type"] in TRANSFER_TYPES or k["counterpart"] == "child":
                        k["counterpart"] = e["counterpart"]
                k.setdefault("extra", []).append(e["clause"])
                continue
            if not e["explicit_date"]:
                # no date of its own: a new contact only with a strong cue, a new agency and a transfer/incident type
                first_of_unit = not prior and not kept
                if not first_of_unit:
                    new_agency = not any(k["agency"] == e["agency"] for k in prior + kept)
                    if new_agency and e.get("subject_new") and e["contact_type"] != "other":
                        kept.append(e)
                        continue
                    if not e["strong"] or e["contact_type"] in WEAK_TYPES:
                        continue
                    if any(k["agency"] == e["agency"] for k in prior + kept) and e["contact_type"] not in TRANSFER_TYPES | {"missed_appointment", "strategy_discussion", "child_protection_conference"}:
                        continue
                    if e["contact_type"] in TRANSFER_TYPES and e["counterpart"] in ("mother", "father", "child") and any(k["agency"] == e["agency"] for k in prior + kept):
                        continue
            kept.append(e)
        return kept

    def extract(self, review: Review) -> pd.DataFrame:
        if _is_guidance(review):
            return pd.DataFrame(columns=EVENT_COLUMNS)
        base = self.gaz
        self.gaz = review_gazetteer(base, review)
        try:
            return self._extract(review)
        finally:
            self.gaz = base

    def _extract(self, review: Review) -> pd.DataFrame:
        table_units, table_texts = _table_units(review, self.gaz)
        prose_units = _prose_units(review, table_texts, self.gaz)
        text = review.text
        dobs = find_birth_dates(text)
        adult_review = (review.metadata.review_type or "").upper() in ("SAR", "DHR")
        rows = []
        for units in (prose_units, table_units):
            ctx = DateContext(dob=dict(dobs))
            for unit in units:
                for e in self._unit_events(unit, ctx):
                    evidence = e.get("evidence") or e["sentence"]
                    d: DateMatch = e["date"]
                    full = " ".join([e["clause"], *e.get("extra", [])])
                    seen = child_seen_of(e["sentence"], e["contact_type"], self.gaz, e["counterpart"])
                    if adult_review:
                        seen = "unknown"  # no child at the centre of a safeguarding adults or domestic homicide review
                    if unit.seen is not None:
                        seen = unit.seen  # the table's own "Child seen" column
                    rows.append({
                        "doc_id": review.doc_id,
                        "date": d.iso,
                        "date_end": d.iso_end,
                        "date_precision": d.precision,
                        "date_text": d.text,
                        "agency": e["agency"],
                        "counterpart": e["counterpart"],
                        "contact_type": e["contact_type"],
                        "child_seen": seen,
                        "concern": bool(
                            is_concern(unit.text)
                            or e["contact_type"] in CONCERN_TYPES
                            or inaction_cue(evidence) is not None
                        ),
                        "page": unit.page,
                        "para": unit.para,
                        "section": unit.section,
                        "sentence": evidence,
                        "source": unit.source,
                        "_clause": full,
                    })
        df = pd.DataFrame(rows, columns=EVENT_COLUMNS + ["_clause"])
        if df.empty:
            if not prose_units and not table_units:
                warnings.warn(f"{review.doc_id}: no chronology section or dated table found; no events extracted", stacklevel=3)
            return pd.DataFrame(columns=EVENT_COLUMNS)
        df = df.drop(columns=["_clause"])
        df = df.sort_values(["date"], kind="stable", na_position="last").reset_index(drop=True)
        df["event_id"] = [f"e{i + 1:03d}" for i in range(len(df))]
        df["concern"] = df["concern"].astype(bool)
        return df[EVENT_COLUMNS]


_RELATIONS = {
    "uncle": "other_family", "aunt": "other_family", "cousin": "other_family", "friend": "other_family", "lodger": "other_family",
    "brother": None, "sister": None,  # whose brother? decided below
    "grandmother": "grandparent", "grandfather": "grandparent", "grandparent": "grandparent",
    "father": "father", "dad": "father", "stepfather": "partner", "partner": "partner", "boyfriend": "partner",
    "mother": "mother", "mum": "mother", "stepmother": "partner", "girlfriend": "partner",
}


def review_gazetteer(gaz: Gazetteer, review: Review) -> Gazetteer:
    """The gazetteer with this review's own names: the child's pseudonym and coded adults' relationships."""
    text = review.text
    extra: dict[str, list[str]] = {}
    code = review.metadata.child_code or ""
    for name in re.split(r"[;,/]| and ", code):
        name = name.strip().strip('"“”')
        if name and not re.match(r"(Child|Baby|Young Person)\s", name) and re.fullmatch(r"[A-Z][\w'-]+( [A-Z][\w'-]+)?", name):
            extra.setdefault("child", []).append(rf"\b{re.escape(name)}\b")
    codes = set(re.findall(r"\b(?:Mr|Ms|Mrs|Miss)\.? [A-Z]{1,3}\b|\bAdult \d{1,2}\b", text))
    for c in codes:
        rx = re.compile(
            rf"{re.escape(c)}\W{{1,3}}(?:who is |who was |the |a |her |his |mother's |father's |child \w+'s |the child's |the children's )*(?:maternal |paternal |older |younger |half-?)?(?P<rel>uncle|aunt|cousin|brother|sister|grandmother|grandfather|father|stepfather|partner|boyfriend|friend|lodger)\b"
            rf"|(?P<rel2>uncle|aunt|cousin|grandmother|grandfather|father|stepfather|partner|boyfriend|friend|lodger)\W{{1,3}}(?:\(|, )?{re.escape(c)}\b",
            re.I,
        )
        m = rx.search(text)
        if not m:
            continue
        rel = (m.group("rel") or m.group("rel2")).lower()
        ctx = text[max(0, m.start() - 30) : m.end() + 10].lower()
        role = _RELATIONS.get(rel)
        if rel in ("brother", "sister"):
            role = "other_family" if re.search(r"mother's|father's|her (brother|sister)|his (brother|sister)", ctx) else "sibling"
        if role:
            extra.setdefault(role, []).append(rf"\b{re.escape(c)}\b")
    if not extra:
        return gaz
    return Gazetteer(gaz.agencies, gaz.family, [(role, p) for role, pats in extra.items() for p in pats])


def _is_guidance(review: Review) -> bool:
    """Procedures or guidance (not a review of a case): no chronology of a family to extract."""
    rt = (review.metadata.review_type or "").lower()
    if rt == "guidance":
        return True
    if rt and rt != "other":
        return False
    cover = " ".join(p.text for s in review.sections[:2] for p in s.paragraphs[:4])
    head = " ".join([review.metadata.title or "", cover, *[s.heading for s in review.sections[:6]]])
    if not re.search(r"\b(procedures?|guidance|protocol|policy)\b", head, re.I):
        return False
    names_a_case = re.search(r"\b(Child|Baby|Young Person|Adult)\s+[A-Z0-9]{1,2}\b|overview report|executive summary|learning brief", head)
    return not names_a_case


def extract_events(review: Review, gazetteer: Gazetteer | str | Path | None = None) -> pd.DataFrame:
    """Dated contact events from the chronology of ``review``, one row per contact.

    ``gazetteer`` is a :class:`Gazetteer`, or the path of a YAML file of extra agency
    names that extends the default gazetteer.

    Columns: doc_id, event_id, date (ISO or None), date_end, date_precision,
    date_text, agency, counterpart, contact_type, child_seen, concern, page, para,
    section, sentence (the evidence), source ("prose" or "table").  A guidance
    document (not a review) yields no events.
    """
    if not isinstance(review, Review):
        raise TypeError(f"extract_events expects a sca.Review, got {type(review).__name__}")
    if isinstance(gazetteer, (str, Path)):
        gazetteer = Gazetteer.load(extra=gazetteer)
    return EventExtractor(gazetteer).extract(review)

"""Dates as reviews write them, parsed to ISO with a precision.

Precision is one of ``day``, ``month``, ``year``, ``range`` (an explicit span, a
season, a school term, "early 2012") or ``relative`` ("two days later", "when
Child A was six weeks old"; anchored to the previous date or to a date of birth
when the review gives one, otherwise left without a date).

UK conventions: numeric dates are day-first ("16/07/06" is 16 July 2006), and
two-digit years are read as 20xx unless that would put them more than five years
into the future.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from dateutil.relativedelta import relativedelta

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "few": 3, "several": 4, "couple of": 2,
}

_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_ORD = r"(?:st|nd|rd|th)?"
_DAY = rf"(?:[12][0-9]|3[01]|0?[1-9]){_ORD}"
_YEAR = r"(?:19[5-9][0-9]|20[0-9][0-9])"
_NUMW = r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
_DASH = r"\s*(?:-|–|—|to|until|and)\s*"
_QUAL = r"(?:early|mid|late|the (?:early|middle|late|end) (?:part )?of|the (?:start|beginning|end) of|end of|start of|beginning of)"

def _load_seasons() -> dict[str, tuple[tuple[int, int], tuple[int, int], tuple[int, int]]]:
    """Seasons, terms and holidays from ``sca/data/events.yaml``: name -> (around, from, to) as (month, day)."""
    from sca.events.gazetteer import DEFAULT_PATTERNS, _load_yaml

    data = _load_yaml(DEFAULT_PATTERNS)

    def md(v: str) -> tuple[int, int]:
        m, d = str(v).split("-")
        return int(m), int(d)

    return {str(name).lower(): (md(v["around"]), md(v["from"]), md(v["to"]))
            for name, v in (data.get("seasons") or {}).items()}


#: representative day within each season, term or holiday and its span (month, day)
SEASONS = _load_seasons()


@dataclass
class DateMatch:
    start: int
    end: int
    text: str
    date: dt.date | None
    precision: str  # day, month, year, range, relative
    date_end: dt.date | None = None
    has_year: bool = True

    @property
    def iso(self) -> str | None:
        return self.date.isoformat() if self.date else None

    @property
    def iso_end(self) -> str | None:
        return self.date_end.isoformat() if self.date_end else None


@dataclass
class DateContext:
    """What is known while reading a chronology in order: the last date and dates of birth."""

    last: dt.date | None = None
    year: int | None = None
    dob: dict[str, dt.date] = field(default_factory=dict)  # "Child A" -> date of birth; "" = the subject child
    subject: str | None = None  # the child a passage is about ("his second birthday" -> this child)
    today: dt.date = field(default_factory=dt.date.today)

    def update(self, m: DateMatch) -> None:
        if m.date is not None:
            self.last = m.date
            self.year = m.date.year

    def birth(self, who: str | None = None) -> dt.date | None:
        if who and who in self.dob:
            return self.dob[who]
        if self.subject and self.subject in self.dob:
            return self.dob[self.subject]
        return self.dob.get("") or (next(iter(self.dob.values())) if self.dob else None)


def _num(word: str) -> int | None:
    w = word.lower().strip()
    if w.isdigit():
        return int(w)
    parts = re.split(r"[- ]", w)
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        return NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]]
    return NUMBER_WORDS.get(w)


def _year2(y: str, today: dt.date) -> int:
    n = int(y)
    if len(y) == 4:
        return n
    full = 2000 + n
    return full if full <= today.year + 5 else 1900 + n


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _infer_year(month: int, ctx: DateContext | None) -> int | None:
    """Year for a date written without one ("11 April"): the running year, moved on if it went backwards."""
    if ctx is None or (ctx.year is None and ctx.last is None):
        return None
    year = ctx.year or ctx.last.year
    if ctx.last is not None and ctx.last.year == year and month < ctx.last.month - 4:
        year += 1  # e.g. "8 January" after "23 December"
    return year


def _season_date(name: str, year: int | None, qual: str, ctx: DateContext | None, following: bool = False) -> DateMatch | None:
    key = name.lower()
    rep, s, e = SEASONS[key]
    if year is None:
        if ctx is None or (ctx.last is None and ctx.year is None):
            return None
        ref = ctx.last or dt.date(ctx.year, 1, 1)
        year = ref.year + (1 if following else 0)
        cand = _safe_date(year, *rep)
        if not following and cand is not None and cand < ref - dt.timedelta(days=45):
            year += 1
    q = qual.lower()
    rm, rd = rep
    if "early" in q or "start" in q or "beginning" in q:
        rm, rd = s[0], min(s[1] + 9, 28)
    elif "late" in q or "end" in q:
        rm, rd = e[0], max(e[1] - 14, 1)
    start_year = year if not (key == "winter" and rm == 12) else year
    d = _safe_date(start_year, rm, rd)
    d0 = _safe_date(year if s[0] <= e[0] else year - (1 if rm <= e[0] else 0), *s)
    d1 = _safe_date(year + (1 if s[0] > e[0] and rm >= s[0] else 0), *e)
    return DateMatch(0, 0, "", d, "range", d1 if d1 and d and d1 >= d else None) if d else None


# --- the patterns, most specific first ------------------------------------------------
_P = [
    ("wc", re.compile(rf"\bw/?c\.?\s+(?:(?P<d>{_DAY})\s+(?P<m>{_MONTH})(?:\s+(?P<y>{_YEAR}))?|(?P<nd>\d{{1,2}})[/.](?P<nm>\d{{1,2}})[/.](?P<ny>\d{{2,4}}))", re.I)),
    ("wc", re.compile(rf"\bweek (?:commencing|beginning)\s+(?:(?P<d>{_DAY})\s+(?P<m>{_MONTH})(?:\s+(?P<y>{_YEAR}))?|(?P<nd>\d{{1,2}})[/.](?P<nm>\d{{1,2}})[/.](?P<ny>\d{{2,4}}))", re.I)),
    ("dayrange", re.compile(rf"\b(?:between\s+)?(?P<d1>{_DAY})(?:\s+(?P<m1>{_MONTH}))?(?:\s+(?P<y1>{_YEAR}))?\s*(?:-|–|—|to|until)\s*(?P<d2>{_DAY})\s+(?P<m2>{_MONTH})(?:,?\s+(?P<y2>{_YEAR}))?\b")),
    ("daylist", re.compile(rf"\b(?P<d1>{_DAY})(?P<more>(?:,\s*{_DAY})*)\s+and\s+(?P<d2>{_DAY})\s+(?P<m>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?\b")),
    ("dmy", re.compile(rf"\b(?P<d>{_DAY})(?:\s+of)?\s+(?P<m>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?\b")),
    ("mdy", re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<d>{_DAY})(?:,\s*|\s+)(?P<y>{_YEAR})\b")),
    ("numeric", re.compile(r"(?<![\d/.])(?P<d>[0-3]?\d)(?P<sep>[/.\-])(?P<m>[01]?\d)(?P=sep)(?P<y>\d{4}|\d{2})(?![\d/]|\.\d)")),
    ("monthrange", re.compile(rf"\b(?:between\s+)?(?P<m1>{_MONTH})(?:\s+(?P<y1>{_YEAR}))?{_DASH}(?P<m2>{_MONTH})\s+(?P<y2>{_YEAR})\b")),
    ("yearrange", re.compile(rf"\b(?:between\s+)?(?P<y1>{_YEAR})\s*(?:-|–|—|to|and)\s*(?P<y2>{_YEAR}|\d{{2}})\b")),
    ("qualmonth", re.compile(rf"\b(?P<q>{_QUAL})[\s-]+(?P<m>{_MONTH})(?:\s+(?P<y>{_YEAR}))?\b", re.I)),
    ("monthyear", re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<y>{_YEAR})\b")),
    ("season", re.compile(rf"(?:\b(?:[Ii]n|[Dd]uring|[Oo]ver|[Aa]t|[Bb]y|[Ff]rom|[Uu]ntil|[Tt]hrough(?:out)?|[Ss]ince|[Tt]hat|[Ee]arly in|[Ll]ate in|[Bb]efore|[Aa]fter)\s+|(?=[^\n]{{0,40}}\b{_YEAR}))(?:(?P<q>{_QUAL})\s+)?(?:the\s+)?(?P<s>spring|summer|autumn|winter|fall)(?:\s+term)?(?:\s+(?:of\s+)?(?P<y>{_YEAR}))?(?P<fol>\s+of the (?:following|next) year)?\b", re.I)),
    ("term", re.compile(rf"\b(?:[Ii]n|[Dd]uring|[Oo]ver|[Aa]t|[Bb]y|[Ff]rom|[Uu]ntil|[Tt]hrough(?:out)?|[Ss]ince|[Bb]efore|[Aa]fter)\s+(?:(?P<q>{_QUAL})\s+)?the\s+(?P<s>spring|summer|autumn)\s+term(?:\s+(?:of\s+)?(?P<y>{_YEAR}))?\b", re.I)),
    ("holiday", re.compile(rf"\b(?P<q>shortly before|early in|late in|in the (?:days|weeks) (?:before|leading up to)|before|after|over|at|around|just after|shortly after)?\s*(?P<s>Christmas|Easter|the new year|New Year|half[- ]term|the summer holidays)\b(?:\s+(?P<y>{_YEAR}))?(?P<ty>\s+(?:that|the following|the next) year)?", re.I)),
    ("qualyear", re.compile(rf"\b(?P<q>{_QUAL})[\s-]+(?P<y>{_YEAR})\b", re.I)),
    ("bareyear", re.compile(rf"\b(?P<pre>in|during|by|since|from|until|throughout|of|early|late|mid|summer|spring|autumn|winter)\s+(?P<y>{_YEAR})\b(?!\s*[-–]\s*{_YEAR})", re.I)),
    ("baremonth", re.compile(rf"\b(?P<pre>[Ii]n|[Dd]uring|[Bb]y|[Ff]rom|[Uu]ntil|[Oo]f|[Ee]arly|[Ll]ate|[Mm]id-?)\s+(?P<m>(?:January|February|March|April|May|June|July|August|September|October|November|December))\b(?!\s+{_DAY})")),
    ("age", re.compile(rf"\b(?:when|as|while|once)\s+(?P<who>(?:Child|Baby|Young Person|Sibling)\s+[A-Z0-9]{{1,3}}|he|she|the baby|the child|[A-Z][a-z]+)\s+was\s+(?:about|around|approximately|almost|nearly|just(?: over| under)?|aged|only|some|over|under|barely)?\s*(?P<n>{_NUMW})\s*(?P<u>days?|weeks?|months?|years?)?(?:[- ]old)?(?:\s+and\s+(?P<n2>{_NUMW})\s+(?P<u2>days?|weeks?|months?))?(?:[- ]old)?(?=[\s,.;)])(?!\s*(?:weeks?\s+)?(?:pregnant|gestation|into))", re.I)),
    ("ageat", re.compile(rf"\b(?:at|aged)\s+(?:about|around|almost|nearly|just)?\s*(?P<n>{_NUMW})\s+(?P<u>days?|weeks?|months?|years?)(?:\s+and\s+(?P<n2>{_NUMW})\s+(?P<u2>days?|weeks?|months?))?(?:[- ]old|\s+of age)\b", re.I)),
    ("ageat", re.compile(rf"\bat the age of\s+(?:about\s+|around\s+|almost\s+|nearly\s+|just\s+)?(?P<n>{_NUMW})(?:\s+(?P<u>days?|weeks?|months?|years?))?(?:\s+and\s+(?P<n2>{_NUMW})\s+(?P<u2>days?|weeks?|months?))?", re.I)),
    ("born", re.compile(r"\bwhen\s+(?P<who>(?:Child|Baby)\s+[A-Z0-9]{1,3}|he|she|the baby)\s+was\s+born\b", re.I)),
    ("ageat", re.compile(rf"\b(?:his|her|the)\s+(?P<n>{_NUMW})[- ](?P<u>day|week|month|year)(?:[- ]old)?\s+(?:developmental\s+|health\s+)?(?:check|review|assessment|contact|visit)\b", re.I)),
    ("birthday", re.compile(r"\b(?:(?:shortly |just |soon )?(?:after|before)\s+|on\s+|around\s+|at\s+)?(?:his|her|(?P<who>(?:Child|Baby)\s+[A-Z0-9]{1,3})['’]s)\s+(?P<ord>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|\d{1,2}(?:st|nd|rd|th))\s+birthday\b", re.I)),
    ("preg", re.compile(rf"\b(?P<n>{_NUMW})[- ]weeks?(?:'|’)?\s+(?:antenatal|booking|scan|anomaly scan|appointment|check|midwife|midwifery)\b", re.I)),
    ("preg", re.compile(rf"\b(?:about|around|approximately|almost|nearly|some)?\s*(?P<n>{_NUMW})\s+weeks?(?:'|’)?\s+(?:pregnant|gestation|into (?:her|the) pregnancy)\b", re.I)),
    ("rel", re.compile(rf"\b(?:(?:the|that)\s+same\s+(?P<same>day|afternoon|morning|evening|night|week)|(?:later|earlier)\s+(?:that|the same)\s+(?P<same2>day|afternoon|morning|evening|night|week)|that\s+(?P<that>day|afternoon|morning|evening|night)|the\s+(?:next|following)\s+(?P<next>day|morning|afternoon|evening|week|month|year)|the\s+day\s+after|next\s+day|(?:some\s+|about\s+|around\s+|nearly\s+|almost\s+|over\s+|just over\s+)?(?P<n>{_NUMW}|a few|a couple of|several)\s+(?P<u>days?|weeks?|months?|years?)\s+(?:later|after(?:wards)?)|a\s+fortnight\s+later|(?:in\s+)?the\s+(?P<wk>days|weeks|months)\s+(?:that\s+)?follow(?:ed|ing))\b", re.I)),
]

_AGE_UNIT = {"day": "days", "week": "weeks", "month": "months", "year": "years"}


def _age_delta(n: int, unit: str | None, n2: int | None = None, u2: str | None = None) -> relativedelta:
    unit = (unit or "years").lower().rstrip("s")
    kw = {_AGE_UNIT[unit]: n}
    if n2 is not None and u2:
        k2 = _AGE_UNIT[u2.lower().rstrip("s")]
        kw[k2] = kw.get(k2, 0) + n2
    return relativedelta(**kw)


def _build(kind: str, m: re.Match, ctx: DateContext | None, today: dt.date) -> list[DateMatch] | None:
    g = m.groupdict()
    text = m.group(0).strip()

    def mk(d, prec, end=None, has_year=True):
        return DateMatch(m.start(), m.end(), text, d, prec, end, has_year)

    if kind == "wc":
        if g.get("nd"):
            d = _safe_date(_year2(g["ny"], today), int(g["nm"]), int(g["nd"]))
        else:
            mon = _month(g["m"])
            y = int(g["y"]) if g.get("y") else _infer_year(mon, ctx)
            d = _safe_date(y, mon, int(re.sub(r"\D", "", g["d"]))) if y else None
        return [mk(d, "range", d + dt.timedelta(days=6) if d else None)] if d else None
    if kind == "dayrange":
        m2 = _month(g["m2"])
        m1 = _month(g["m1"]) if g.get("m1") else m2
        y2 = int(g["y2"]) if g.get("y2") else _infer_year(m2, ctx)
        y1 = int(g["y1"]) if g.get("y1") else (y2 - 1 if y2 and m1 > m2 else y2)
        if not y2:
            return None
        d1 = _safe_date(y1, m1, int(re.sub(r"\D", "", g["d1"])))
        d2 = _safe_date(y2, m2, int(re.sub(r"\D", "", g["d2"])))
        return [mk(d1, "range", d2, bool(g.get("y2")))] if d1 else None
    if kind == "daylist":
        mon = _month(g["m"])
        y = int(g["y"]) if g.get("y") else _infer_year(mon, ctx)
        if not y:
            return None
        days = [g["d1"], *re.findall(_DAY, g.get("more") or ""), g["d2"]]
        out = []
        for dd in days:
            d = _safe_date(y, mon, int(re.sub(r"\D", "", dd)))
            if d:
                out.append(mk(d, "day", None, bool(g.get("y"))))
        return out or None
    if kind in ("dmy", "mdy"):
        mon = _month(g["m"])
        y = int(g["y"]) if g.get("y") else _infer_year(mon, ctx)
        if not y:
            return None
        d = _safe_date(y, mon, int(re.sub(r"\D", "", g["d"])))
        return [mk(d, "day", None, bool(g.get("y")))] if d else None
    if kind == "numeric":
        mon, day = int(g["m"]), int(g["d"])
        if not (1 <= mon <= 12):
            return None
        d = _safe_date(_year2(g["y"], today), mon, day)
        return [mk(d, "day")] if d else None
    if kind == "monthrange":
        m2 = _month(g["m2"])
        m1 = _month(g["m1"])
        y2 = int(g["y2"])
        y1 = int(g["y1"]) if g.get("y1") else (y2 - 1 if m1 > m2 else y2)
        d2 = _safe_date(y2, m2, 1) + relativedelta(months=1, days=-1)
        return [mk(_safe_date(y1, m1, 1), "range", d2)]
    if kind == "yearrange":
        y1 = int(g["y1"])
        y2s = g["y2"]
        y2 = int(y2s) if len(y2s) == 4 else (y1 // 100) * 100 + int(y2s)
        if y2 < y1:
            return None
        return [mk(dt.date(y1, 1, 1), "range", dt.date(y2, 12, 31))]
    if kind in ("qualmonth", "monthyear", "baremonth"):
        mon = _month(g["m"])
        y = int(g["y"]) if g.get("y") else _infer_year(mon, ctx)
        if not y:
            return None
        d = dt.date(y, mon, 1)
        return [mk(d, "month", d + relativedelta(months=1, days=-1), bool(g.get("y")))]
    if kind in ("season", "term"):
        name = g["s"].lower()
        if kind == "term" or re.search(r"term\b", text, re.I):
            name = f"{name} term"
        y = int(g["y"]) if g.get("y") else None
        r = _season_date(name, y, g.get("q") or "", ctx, following=bool(g.get("fol")))
        if r is None:
            return None
        return [mk(r.date, "range", r.date_end, y is not None)]
    if kind == "holiday":
        name = g["s"].lower().replace("the ", "").replace("-", " ")
        if name not in SEASONS:
            return None
        y = int(g["y"]) if g.get("y") else None
        q = (g.get("q") or "").lower()
        following = bool(g.get("ty") and re.search(r"following|next", g["ty"]))
        r = _season_date(name, y, "", ctx, following=following)
        if r is None or r.date is None:
            return None
        d = r.date
        if "before" in q or "leading" in q:
            d = d - dt.timedelta(days=7 if "shortly" in q else (19 if "weeks" in q else 10))
        elif "after" in q:
            d = d + dt.timedelta(days=7)
        elif name == "new year" and ("early" in text.lower()):
            d = d + dt.timedelta(days=5)
        return [mk(d, "range", r.date_end, y is not None)]
    if kind == "qualyear":
        y = int(g["y"])
        q = g["q"].lower()
        if "early" in q or "start" in q or "beginning" in q:
            return [mk(dt.date(y, 1, 1), "range", dt.date(y, 4, 30))]
        if "mid" in q or "middle" in q:
            return [mk(dt.date(y, 5, 1), "range", dt.date(y, 8, 31))]
        return [mk(dt.date(y, 9, 1), "range", dt.date(y, 12, 31))]
    if kind == "bareyear":
        y = int(g["y"])
        return [mk(dt.date(y, 1, 1), "year", dt.date(y, 12, 31))]
    if kind in ("age", "ageat"):
        n = _num(g["n"])
        if n is None:
            return None
        unit = g.get("u")
        if not unit and kind == "age":
            # "when Child K was about two" -> years, but only for small numbers
            if n > 18:
                return None
        n2 = _num(g["n2"]) if g.get("n2") else None
        who = g.get("who")
        dob = ctx.birth(who if who and who[0].isupper() else None) if ctx else None
        d = dob + _age_delta(n, unit, n2, g.get("u2")) if dob else None
        if d is not None and re.search(r"\b(nearly|almost)\b", text, re.I):
            d = d - (dt.timedelta(days=10) if (unit or "").startswith(("day", "week")) else relativedelta(months=1))
        return [mk(d, "relative", None, False)]
    if kind == "born":
        who = g.get("who")
        d = ctx.birth(who if who and who[0].isupper() and " " in who else None) if ctx else None
        return [mk(d, "relative", None, False)]
    if kind == "birthday":
        o = g["ord"].lower()
        n = _ORDINALS.get(o) or int(re.sub(r"\D", "", o) or 0)
        who = g.get("who")
        dob = ctx.birth(who) if ctx else None
        d = dob + relativedelta(years=n) if dob and n else None
        t = text.lower()
        if d and "after" in t:
            d = d + dt.timedelta(days=14)
        elif d and "before" in t:
            d = d - dt.timedelta(days=14)
        return [mk(d, "relative", None, False)]
    if kind == "preg":
        n = _num(g["n"])
        if n is None or n > 43:
            return None
        dob = ctx.birth() if ctx else None
        d = dob - dt.timedelta(weeks=40 - n) if dob else None
        return [mk(d, "relative", None, False)]
    if kind == "rel":
        base = ctx.last if ctx else None
        t = text.lower()
        delta: relativedelta | dt.timedelta = dt.timedelta(0)
        if g.get("same") or g.get("same2") or g.get("that"):
            unit = (g.get("same") or g.get("same2") or g.get("that")).lower()
            delta = dt.timedelta(days=3 if unit == "week" else 0)
        elif g.get("next"):
            unit = g["next"].lower()
            delta = {"week": dt.timedelta(days=7), "month": relativedelta(months=1), "year": relativedelta(years=1)}.get(unit, dt.timedelta(days=1))
        elif "day after" in t or "next day" in t:
            delta = dt.timedelta(days=1)
        elif "fortnight" in t:
            delta = dt.timedelta(days=14)
        elif g.get("wk"):
            delta = {"days": dt.timedelta(days=3), "weeks": dt.timedelta(days=14), "months": relativedelta(months=2)}[g["wk"].lower()]
        elif g.get("n"):
            nw = g["n"].lower()
            n = 3 if "few" in nw else 2 if "couple" in nw else 4 if "several" in nw else _num(nw)
            if n is None:
                return None
            unit = g["u"].lower().rstrip("s")
            delta = dt.timedelta(days=n) if unit == "day" else dt.timedelta(weeks=n) if unit == "week" else relativedelta(**{_AGE_UNIT[unit]: n})
        d = base + delta if base else None
        return [mk(d, "relative", None, False)]
    return None


_BIRTH_BEFORE = re.compile(r"(?:\(\s*born(?:\s+on|\s+in)?|\b(?:DOB|d\.o\.b\.?|date of birth):?)\s*$", re.I)


def find_dates(text: str, ctx: DateContext | None = None, update: bool = True) -> list[DateMatch]:
    """All date expressions in ``text`` in order, non-overlapping (earlier patterns win).

    With a :class:`DateContext`, dates without a year, seasons and relative
    expressions are resolved against it, and (``update=True``) the context moves
    on as dates are read.
    """
    today = ctx.today if ctx else dt.date.today()
    taken: list[tuple[int, int]] = []
    cands: list[tuple[str, re.Match]] = []
    for kind, rx in _P:
        for m in rx.finditer(text):
            s, e = m.start(), m.end()
            if not m.group(0).strip():
                continue
            if any(s < te and e > ts for ts, te in taken):
                continue
            taken.append((s, e))
            cands.append((kind, m))
    cands.sort(key=lambda t: t[1].start())
    out: list[DateMatch] = []
    for kind, m in cands:
        if _BIRTH_BEFORE.search(text[max(0, m.start() - 25) : m.start()]):
            continue  # a date of birth is not the date of a contact
        ms = _build(kind, m, ctx, today)
        if not ms:
            continue
        for dm in ms:
            # strip leading whitespace from the span
            lead = len(m.group(0)) - len(m.group(0).lstrip())
            dm.start = m.start() + lead
            out.append(dm)
            if ctx is not None and update and dm.date is not None:
                ctx.update(dm)
    return out


def parse_date(text: str, ctx: DateContext | None = None) -> DateMatch | None:
    """The first date expression in ``text`` (e.g. a table's Date cell), or None."""
    ms = find_dates(text, ctx, update=False)
    return ms[0] if ms else None


_BORN = re.compile(
    r"\b(?P<who>(?:Child|Baby|Young Person)\s+[A-Z0-9]{1,3}|[A-Z][a-z]+)?[^.;]{0,40}?\b(?:was|were)\s+born\b(?P<rest>[^.;]{0,80})",
)
_DOB = re.compile(r"\b(?:date of birth|DOB|d\.o\.b\.?)\s*[:\-]?\s*(?P<rest>[^.;]{0,40})", re.I)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
             "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16}
_AGE_STATED = re.compile(
    rf"\b(?P<who>(?:Child|Baby|Young Person)\s+[A-Z0-9]{{1,3}})\b,?\s+(?:who\s+)?(?:was|then|is|had been)\s+(?:then\s+)?(?:aged\s+)?(?:about\s+|almost\s+|nearly\s+|just\s+)?(?P<n>{_NUMW})(?:\s+(?P<u>years?|months?|weeks?))?(?:\s+and\s+(?P<n2>{_NUMW})\s+(?P<u2>months?|weeks?))?(?:[- ]old)?(?=[\s,.;)])(?!\s+(?:weeks?\s+)?(?:pregnant|children|siblings|times))",
)
_AGED = re.compile(
    rf"\b(?P<who>(?:Child|Baby)\s+[A-Z0-9]{{1,3}})\b[^.;]{{0,40}}?\baged\s+(?:about\s+)?(?P<n>{_NUMW})\s+(?P<u>years?|months?|weeks?)(?:\s+and\s+(?P<n2>{_NUMW})\s+(?P<u2>months?|weeks?))?",
)


def _birth_from_age(m: re.Match, n: float, dated: list[DateMatch], out: dict[str, dt.date]) -> None:
    """Record the birth date implied by age ``n`` (match ``m``: units, second age) at the first date."""
    n2 = _num(m.group("n2")) if m.group("n2") else None
    dob = dated[0].date - _age_delta(n, m.group("u"), n2, m.group("u2"))
    out.setdefault(m.group("who"), dob)
    out.setdefault("", dob)


def _dated_with_year(text: str, today: dt.date) -> list[DateMatch]:
    return [d for d in find_dates(text, DateContext(today=today))
            if d.date and d.has_year and d.precision in ("day", "month", "range", "year")]


def find_birth_dates(text: str, today: dt.date | None = None) -> dict[str, dt.date]:
    """Dates of birth the review states ("Child A was born on 3 May 2015", "DOB: 03/05/15").

    Returns ``{who: date}``; ``""`` is used when the child is not named.  When no
    date of birth is stated, a child's age at a dated incident ("Child K, then
    aged two years and seven months ... in the early part of 2011") is used to
    estimate one.
    """
    today = today or dt.date.today()
    out: dict[str, dt.date] = {}
    for m in _BORN.finditer(text):
        ds = [d for d in find_dates(m.group("rest"), DateContext(today=today)) if d.date and d.has_year and d.precision in ("day", "month")]
        if ds:
            who = m.group("who") or ""
            if who and not re.match(r"(Child|Baby|Young Person)\s", who):
                who = ""
            out.setdefault(who, ds[0].date)
            out.setdefault("", ds[0].date)
    for m in _DOB.finditer(text):
        ds = [d for d in find_dates(m.group("rest"), DateContext(today=today)) if d.date and d.precision == "day"]
        if ds:
            out.setdefault("", ds[0].date)
    if out:
        return out
    # estimate from "when Child 1 was seven and Child 2 was two" in a sentence that gives a date
    for sent in re.split(r"(?<=[.;])\s+", text):
        hits = list(_AGE_STATED.finditer(sent))
        if not hits:
            continue
        ds = _dated_with_year(sent, today)
        if not ds:
            continue
        for m in hits:
            n = _num(m.group("n"))
            if n is None or (not m.group("u") and n > 18):
                continue
            _birth_from_age(m, n, ds, out)
    if out:
        return out
    # estimate from "aged N years and M months" in a sentence (or paragraph) that also gives a date
    for para in re.split(r"\n\s*\n", text):
        ds: list[DateMatch] | None = None  # the paragraph's dates, found once, when an age needs them
        for m in _AGED.finditer(para):
            n = _num(m.group("n"))
            if n is None:
                continue
            if ds is None:
                ds = _dated_with_year(para, today)
            if ds:
                _birth_from_age(m, n, ds, out)
        if out:
            break
    return out

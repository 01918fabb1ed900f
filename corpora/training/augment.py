"""Label-preserving rewrites of hand-written sentences into the surface styles of published
reviews: acronyms (HV, CSC, GP, ED, DSL, ICPC, CP plan), anonymised names (Child A, Baby F,
Mother, Ms M, Mr SF), dates and ages, and framing clauses ("In the view of the review, ...").

Each hand sentence yields one variant that keeps its labels and its ``group`` (the id of the
original), so cross-validation can keep a sentence and its variants in the same fold.
"""

from __future__ import annotations

import random
import re

SUBS: list[tuple[str, list[str]]] = [
    (r"\bthe health visitor\b", ["the HV", "the health visitor (HV1)", "HV1", "the HV"]),
    (r"\bhealth visitor\b", ["HV", "health visitor"]),
    (r"\bchildren's social care\b", ["CSC", "children's services", "the local authority", "CSC"]),
    (r"\bthe social worker\b", ["the SW", "SW1", "the allocated social worker", "the social worker (SW2)"]),
    (r"\bthe emergency department\b", ["A&E", "the ED", "the emergency department at Hospital 1"]),
    (r"\bthe designated safeguarding lead\b", ["the DSL", "the school's DSL"]),
    (r"\bchild protection plans?\b", ["CP plan", "child protection plan"]),
    (r"\bchild protection conference\b", ["ICPC", "initial child protection conference"]),
    (r"\bthe initial child protection conference\b", ["the ICPC"]),
    (r"\bsection 47\b", ["s47", "section 47"]),
    (r"\bchild in need\b", ["CIN", "child in need"]),
    (r"\bthe GP\b", ["the GP", "GP1", "the family's GP", "the GP practice"]),
    (r"\bthe mother\b", ["Mother", "Ms M", "the mother", "Child A's mother", "Ms X", "Adult 1"]),
    (r"\bThe mother\b", ["Mother", "Ms M", "Child A's mother", "Ms X", "Adult 1"]),
    (r"\bthe father\b", ["Father", "Mr SF", "the baby's father", "Mr B", "Adult 2"]),
    (r"\bThe father\b", ["Father", "Mr SF", "Mr B", "Adult 2"]),
    (r"\bthe mother's partner\b", ["Mother's partner", "Mr T", "Adult 3"]),
    (r"\bthe baby\b", ["Baby F", "the baby", "Child B"]),
    (r"\bThe baby\b", ["Baby F", "Child B"]),
    (r"\bthe child\b", ["Child A", "the child", "Holly", "Child 1"]),
    (r"\bThe child\b", ["Child A", "Holly", "Child 1"]),
    (r"\bthe children\b(?!')", ["the children", "the siblings", "Child A and Child B"]),
    (r"\bthe boy\b", ["Child C", "Jack", "the boy"]),
    (r"\bthe girl\b", ["Child D", "Ellie", "Young Person F"]),
    (r"\bthe young person\b", ["Young Person F", "the young person"]),
    (r"\bthe police\b", ["the police", "police", "the constabulary"]),
    (r"\bthe school\b", ["the school", "School 1", "the primary school"]),
    (r"\bthe hospital\b", ["Hospital 1", "the hospital"]),
    (r"\bthe nursery\b", ["the nursery", "Nursery 1"]),
    (r"\bthe paediatrician\b", ["the paediatrician", "the consultant paediatrician"]),
    (r"\bthe midwife\b", ["the midwife", "the community midwife"]),
    (r"\bmulti-agency safeguarding hub\b", ["MASH"]),
    (r"\bthe MASH\b", ["the MASH", "the front door"]),
]

PREFIXES = [
    "In the view of the review, ", "The review found that ", "It is clear from the records that ",
    "On 21st February 2013, ", "When Child A was six weeks old, ", "During this period, ",
    "In July 2015, ", "By early 2012, ", "At the learning event, practitioners acknowledged that ",
    "The IMR author notes that ", "With hindsight, ", "Between March 2008 and March 2009, ",
    "On 16/07/06, ", "Over the following months, ", "As described in paragraph 4.12, ",
    "The panel concluded that ", "At this time, ", "On 22.03.05, ",
]
NEUTRAL_PREFIXES = [
    "On 21st February 2013, ", "When Child A was six weeks old, ", "In July 2015, ", "On 16/07/06, ",
    "Later that week, ", "On 22.03.05, ", "During the summer holidays, ", "Shortly afterwards, ",
]
SUFFIXES = [
    "", "", "", " (see paragraph 5.3)", ", and this is considered further below",
    " during the period under review", " in 2014", " at that time",
]


def _lower_first(s: str) -> str:
    if len(s) > 1 and s[0].isupper() and not s[1].isupper() and not re.match(r"(Child|Baby|Mother|Father|Ms|Mr|Holly|Jack|Ellie|Young|Adult|School|Hospital|Nursery|HV|GP|CSC|SW|A&E|ED|DSL|ICPC|CP|CIN|MASH)\b", s):
        return s[0].lower() + s[1:]
    return s


def variant(text: str, labelled: bool, rng: random.Random) -> str:
    out = text
    for pattern, choices in SUBS:
        if rng.random() < 0.8:
            out = re.sub(pattern, lambda m: rng.choice(choices), out)
    kind = rng.random()
    if kind < 0.45:
        pre = rng.choice(PREFIXES if labelled else PREFIXES + NEUTRAL_PREFIXES)
        out = pre + _lower_first(out)
    if rng.random() < 0.3 and out.endswith("."):
        out = out[:-1] + rng.choice(SUFFIXES) + "."
    return out[0].upper() + out[1:] if out else out


JOINERS = [", and ", "; ", "; in addition, ", ", while ", ". Moreover, ", " and ", "; at the same time, ",
           ", and it is also the case that ", "; furthermore, "]


def compound(a: str, b: str, rng: random.Random) -> str:
    """Join two sentences into one review-style compound sentence (labels: the union)."""
    a = a.rstrip().rstrip(".")
    b = b.strip()
    j = rng.choice(JOINERS)
    if j.startswith(". "):
        return f"{a}{j}{_lower_first(b)}"
    return f"{a}{j}{_lower_first(b)}"

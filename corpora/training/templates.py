"""Compositional templates that add phrase variety to the hand-written sentences.

Each generator pairs a shortfall phrasing (labelled) with good-practice, negated and neutral
phrasings built from the same vocabulary (unlabelled), so the model learns that the label
depends on the finding, not on the topic words. Written by the team; deterministic for a seed.
"""

from __future__ import annotations

import random

AGENCIES = [
    "the health visitor", "the GP", "the school", "the nursery", "the police", "the midwife",
    "the social worker", "children's social care", "the hospital", "the emergency department",
    "the housing provider", "the probation service", "the school nurse", "the family support worker",
    "adult mental health services", "the substance misuse service", "the paediatrician",
    "the early help team", "the designated safeguarding lead", "the youth offending service",
]
INFO = [
    "the concerns", "the information", "details of the injury", "the outcome of the referral",
    "what she had seen at the home visit", "the father's history", "the school's worries",
    "the police intelligence", "the discharge summary", "news of the family's move",
    "the outcome of the strategy discussion", "the domestic abuse notification",
]
CHILD = ["the child", "the baby", "the children", "the boy", "the girl", "the young person", "Child A", "the toddler"]
PARENT = ["the mother", "the father", "the parents", "the mother's partner", "the stepfather", "the grandmother"]
DATES = ["On 3 May", "In March 2019", "On 14 February", "Later that month", "In the autumn of 2020",
         "Two weeks later", "On 21 June", "In early 2018", "The following day", "On 9 November"]


def _cap(s: str) -> str:
    return s[0].upper() + s[1:]


def generate(seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    rows: list[dict] = []

    def add(text: str, themes: list[str], kind: str = "sentence") -> None:
        rows.append({"text": _cap(text), "themes": sorted(themes), "kind": kind, "source": "template"})

    def pick(xs):
        return rng.choice(xs)

    def two_agencies():
        a, b = rng.sample(AGENCIES, 2)
        return a, b

    # information_sharing: shortfall vs shared / negated
    pos_is = [
        "{a} did not pass {i} to {b}.", "{i} never reached {b}.", "{b} was not told about {i} by {a}.",
        "{a} kept {i} to itself and did not inform {b}.", "{b} remained unaware of {i}.",
        "{i} held by {a} was not shared with {b}.", "nobody let {b} know about {i}.",
        "{a} failed to tell {b} about {i}.", "{b} did not receive {i} from {a}.",
    ]
    neg_is = [
        "{a} passed {i} to {b} the same day.", "{a} shared {i} with {b} promptly.",
        "{b} was told about {i} by {a}.", "there is no evidence that {a} failed to share {i} with {b}.",
        "{a} made sure that {b} knew about {i}.", "{b} received {i} from {a} within 24 hours.",
    ]
    for _ in range(45):
        a, b = two_agencies()
        add(pick(pos_is).format(a=a, b=b, i=pick(INFO)), ["information_sharing"])
    for _ in range(35):
        a, b = two_agencies()
        add(pick(neg_is).format(a=a, b=b, i=pick(INFO)), [])

    # voice_of_child
    pos_vc = [
        "{c} was not seen alone by {a}.", "{a} did not speak to {c} on their own.",
        "{c} was never asked by {a} about life at home.", "{a} focused on {p} and lost sight of {c}.",
        "{c}'s views were not sought by {a}.", "what {c} said to {a} was not listened to.",
        "{a} did not see {c} during the visit.",
    ]
    neg_vc = [
        "{a} saw {c} alone and recorded what was said.", "{a} spoke to {c} on their own.",
        "{c} told {a} about school and friends.", "{a} saw {c} with {p}.",
        "there is no evidence that {a} failed to see {c}.",
    ]
    for _ in range(35):
        add(pick(pos_vc).format(a=pick(AGENCIES), c=pick(CHILD), p=pick(PARENT)), ["voice_of_child"])
    for _ in range(25):
        add(pick(neg_vc).format(a=pick(AGENCIES), c=pick(CHILD), p=pick(PARENT)), [])

    # missed appointments
    appts = ["the hearing test", "the dental appointment", "the paediatric clinic", "the two-year review",
             "the eye clinic", "the immunisation appointment", "the speech and language therapy session",
             "the follow-up at the fracture clinic", "the developmental check"]
    pos_ma = [
        "{c} was not brought to {x}, and this was not followed up.", "{c} missed {x}, and no one asked why.",
        "when {c} was not brought to {x}, {a} took no further action.",
        "{a} discharged {c} after {c} was not brought to {x}.",
    ]
    neg_ma = [
        "{c} was brought to {x} by {p}.", "when {c} was not brought to {x}, {a} contacted {p} and rebooked it.",
        "{c} attended {x}.", "{x} was rearranged at the request of {p}, and {c} attended.",
    ]
    for _ in range(30):
        c = pick(CHILD)
        add(pick(pos_ma).format(c=c, x=pick(appts), a=pick(AGENCIES), p=pick(PARENT)), ["missed_appointments"])
    for _ in range(22):
        c = pick(CHILD)
        add(pick(neg_ma).format(c=c, x=pick(appts), a=pick(AGENCIES), p=pick(PARENT)), [])

    # escalation_challenge
    pos_ec = [
        "{a} disagreed with the decision of {b} but did not escalate it.", "{a} accepted the view of {b} without challenge.",
        "{a} deferred to {b}.", "{a} did not challenge {b} when the referral was declined.",
        "the decision of {b} went unchallenged by {a}.",
    ]
    neg_ec = [
        "{a} challenged the decision of {b}, and it was reviewed.", "{a} escalated the concern to {b}.",
        "{a} agreed with the decision of {b}.", "{a} raised the matter with {b}, who agreed to reconsider.",
    ]
    for _ in range(30):
        a, b = two_agencies()
        add(pick(pos_ec).format(a=a, b=b), ["escalation_challenge"])
    for _ in range(20):
        a, b = two_agencies()
        add(pick(neg_ec).format(a=a, b=b), [])

    # hidden_men
    men = ["the father", "the mother's partner", "the stepfather", "the new boyfriend", "the lodger", "the baby's father"]
    pos_hm = [
        "{a} knew almost nothing about {m}.", "{m} was never assessed by {a}.", "{a} made no checks on {m}.",
        "{m} was not included in the assessment.", "{a} did not ask who {m} was.",
        "{m} remained invisible to {a}.",
    ]
    neg_hm = [
        "{a} carried out checks on {m}, which showed no concerns.", "{m} was assessed by {a}.",
        "{m} was included in the assessment.", "{a} met {m} at the home.",
    ]
    for _ in range(30):
        add(pick(pos_hm).format(a=pick(AGENCIES), m=pick(men)), ["hidden_men"])
    for _ in range(20):
        add(pick(neg_hm).format(a=pick(AGENCIES), m=pick(men)), [])

    # record_keeping
    things = ["the home visit", "the strategy discussion", "the decision to close the case", "the child's disclosure",
              "the injury", "the telephone call from the school", "the outcome of the meeting"]
    pos_rk = [
        "{t} was not recorded by {a}.", "there is no record of {t} in the files of {a}.",
        "{a}'s record of {t} was inaccurate.", "the system used by {a} did not flag {t}.",
    ]
    neg_rk = [
        "{a} recorded {t} in detail.", "{t} was recorded by {a} on the same day.",
        "the records of {a} describe {t}.",
    ]
    for _ in range(25):
        add(pick(pos_rk).format(t=pick(things), a=pick(AGENCIES)), ["record_keeping"])
    for _ in range(15):
        add(pick(neg_rk).format(t=pick(things), a=pick(AGENCIES)), [])

    # supervision_oversight
    pos_so = [
        "the decision to {d} was not reviewed by a manager.", "no manager scrutinised the decision to {d}.",
        "the decision to {d} was made without management oversight.",
        "supervision did not consider the decision to {d}.",
    ]
    neg_so = [
        "the decision to {d} was reviewed by a manager.", "the team manager agreed the decision to {d} after reading the file.",
        "the decision to {d} was discussed in supervision.",
    ]
    decisions = ["close the case", "step the case down to early help", "take no further action",
                 "end the child protection plan", "return the children home", "not hold a strategy discussion"]
    for _ in range(25):
        add(pick(pos_so).format(d=pick(decisions)), ["supervision_oversight"])
    for _ in range(15):
        add(pick(neg_so).format(d=pick(decisions)), [])

    # context factors: present vs screened/denied
    ctx = {
        "domestic_abuse": (["was violent towards", "assaulted", "controlled and threatened", "hit"],
                           "domestic abuse"),
        "parental_substance_misuse": (None, "drug or alcohol use"),
        "parental_mental_health": (None, "mental health"),
    }
    for _ in range(25):
        p = pick(["the father", "the mother's partner", "the stepfather"])
        add(f"{pick(DATES)}, {p} {pick(ctx['domestic_abuse'][0])} the mother.", ["domestic_abuse"])
    subst = ["was drinking heavily", "was using heroin", "was using cocaine", "was intoxicated",
             "had relapsed into drug use", "was drunk"]
    for _ in range(25):
        add(f"{pick(DATES)}, {pick(PARENT[:3] + PARENT[4:])} {pick(subst)} while caring for {pick(CHILD)}.",
            ["parental_substance_misuse"])
    mh = ["was severely depressed", "was admitted to a psychiatric unit", "took an overdose",
          "was experiencing psychotic symptoms", "disclosed thoughts of suicide", "was self-harming"]
    for _ in range(25):
        add(f"{pick(DATES)}, {pick(['the mother', 'the father', 'the stepmother'])} {pick(mh)}.",
            ["parental_mental_health"])
    ng = ["was found hungry and unwashed", "was living in a home with no food", "was left alone for hours",
          "had untreated tooth decay", "was in soiled clothes", "was sleeping on a bare mattress"]
    for _ in range(25):
        add(f"{pick(DATES)}, {pick(CHILD)} {pick(ng)}.", ["neglect"])
    screen = [
        "{p} was asked about {f}; nothing was disclosed.", "routine enquiry about {f} was made, and {p} reported no concerns.",
        "{p} was screened for {f}, with no concerns identified.", "there was no history of {f}.",
        "{a} asked {p} about {f} at the visit.",
    ]
    factors = ["domestic abuse", "drug or alcohol use", "mental health", "alcohol use", "drug use",
               "low mood", "violence at home"]
    for _ in range(45):
        add(pick(screen).format(p=pick(["the mother", "the father", "the parents"]), f=pick(factors),
                                a=pick(AGENCIES)), [])

    # neutral chronology
    acts = ["visited the family", "saw the child at clinic", "made a referral to children's social care",
            "attended the core group", "telephoned the mother", "wrote to the GP", "completed a home visit",
            "held a child in need meeting", "carried out a welfare check", "received a referral"]
    for _ in range(60):
        add(f"{pick(DATES)}, {pick(AGENCIES)} {pick(acts)}.", [])
    return rows

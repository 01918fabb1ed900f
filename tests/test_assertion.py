"""ConText-style assertion: negation, double negation, hedging, hypotheticals, good practice."""

import pytest

from sca.themes.engine import RuleEngine


@pytest.fixture(scope="module")
def engine():
    return RuleEngine()


def concerns(engine, text):
    return {t for t, s in engine.theme_scores(engine.mentions(text)).items() if s >= 0.5}


def statuses(engine, text, theme):
    return {m.status for m in engine.mentions(text) if m.theme == theme}


def test_denied_shortfall_raises_nothing(engine):
    text = "There is no evidence that information was not shared."
    assert concerns(engine, text) == set()
    ms = [m for m in engine.mentions(text) if m.theme == "information_sharing"]
    assert ms and all(m.status == "negated" for m in ms)
    assert any("no evidence that" in m.trigger for m in ms)  # the trigger is recorded


def test_absent_practice_is_a_concern(engine):
    text = "There was no evidence of information sharing."
    assert concerns(engine, text) == {"information_sharing"}
    m = next(m for m in engine.mentions(text) if m.concern)
    assert m.trigger == "no evidence of" and m.status == "asserted"
    assert "information_sharing.practice" in m.evidence and "no evidence of" in m.evidence


@pytest.mark.parametrize(
    "text",
    [
        "Information was shared promptly with the GP.",
        "There was good information sharing between the school and the health visitor.",
        "A strategy meeting was held on 3 May.",
        "The social worker received regular reflective supervision.",
    ],
)
def test_good_practice_and_neutral_description_are_not_tagged(engine, text):
    assert concerns(engine, text) == set()


def test_good_practice_status_is_positive(engine):
    assert "positive" in statuses(engine, "There was good information sharing between the agencies.", "information_sharing")


def test_hypothetical_and_questions(engine):
    assert concerns(engine, "If information had not been shared, the plan would have failed.") == set()
    assert statuses(engine, "Did the school share information with the GP?", "information_sharing") == {"hypothetical"}
    assert concerns(engine, "The review considered whether the school was unaware of the plan.") == set()


def test_hedged_shortfall_is_recorded_as_hedged(engine):
    text = "It is possible that the health visitor was not told about the injury."
    st = statuses(engine, text, "information_sharing")
    assert "hedged" in st
    hedged = [m for m in engine.mentions(text) if m.status == "hedged"]
    assert hedged[0].score < 1.0  # lower than an asserted concern


def test_context_theme_present_or_denied(engine):
    assert "domestic_abuse" in concerns(engine, "The police attended a domestic incident at the home.")
    assert "domestic_abuse" not in concerns(engine, "There was no history of domestic abuse.")
    assert "parental_substance_misuse" not in concerns(engine, "The mother said she did not drink alcohol.")
    assert "domestic_abuse" not in concerns(engine, "The midwife asked the routine question about domestic abuse.")


def test_scope_stops_at_but(engine):
    text = "There was no strategy discussion, but information was shared promptly."
    assert concerns(engine, text) == {"interagency_working"}


def test_recommendation_raises_theme(engine):
    text = "The partnership should seek assurance that supervision is reflective."
    assert "supervision_oversight" in concerns(engine, text)


def test_overlapping_themes(engine):
    text = "The health visitor did not tell the social worker that the baby had bruising."
    assert "information_sharing" in concerns(engine, text)


@pytest.mark.parametrize(
    "text, theme",
    [
        ("There was no delay in convening the conference.", "case_drift"),
        ("There were no vacancies in the team at the time.", "workload_resources"),
        ("There is no evidence of disguised compliance in this case.", "disguised_compliance"),
        ("The GP followed up the missed appointment the same day.", "missed_appointments"),
        ("The mother was referred to the substance misuse service.", "parental_substance_misuse"),
        ("Disguised compliance is a term used to describe parents who give the appearance of cooperating.", "disguised_compliance"),
        ("The review does not criticise the decision to close the case.", "assessment_quality"),
        ("The reviewer looked for signs that professionals were reassured by surface cooperation and found none.",
         "disguised_compliance"),
        ("His missed appointments were dealt with in line with national standards.", "missed_appointments"),
        ("It would be wrong to describe the decision to step down as over-optimistic.", "professional_optimism"),
        ("The nurse had no reason to know of the stepfather's caution, which was held by another force.",
         "information_sharing"),
        ("The paramedics did not simply accept the explanation; they asked to see where the fall happened.",
         "risk_recognition"),
        ("No agency held any record of earlier violence in the household.", "interagency_working"),
        ("Nobody held any record of domestic abuse between the parents before 2019.", "domestic_abuse"),
    ],
)
def test_denied_resolved_and_meta_statements_are_not_tagged(engine, text, theme):
    assert theme not in concerns(engine, text)


def test_question_to_the_partnership_is_a_recommendation(engine):
    assert "information_sharing" in concerns(engine, "Question for the partnership: how will agencies assure themselves that information sharing works?")
    assert concerns(engine, "How well did agencies share information?") == set()


def test_a_missed_appointment_followed_up_afterwards_is_resolved(engine):
    assert "missed_appointments" in concerns(engine, "Baby M was not brought to her eight-week check in March.")
    for text in ("When Baby M was not brought to clinic, the health visitor followed up the next day.",
                 "Baby M was not brought to clinic and the health visitor chased it up."):
        assert "missed_appointments" not in concerns(engine, text), text


def test_a_denied_resolution_leaves_the_shortfall_standing(engine):
    assert "missed_appointments" in concerns(engine, "Mother missed three appointments and none were followed up.")
    assert "missed_appointments" not in concerns(engine, "The missed appointments were followed up by letter.")


def test_a_question_about_partners_in_the_family_is_not_a_recommendation(engine):
    """'partners' in a review question means the adults in the household, not the safeguarding partners."""
    assert concerns(engine, "Were fathers, partners and other men identified, involved and assessed?") == set()
    assert "hidden_men" in concerns(engine, "How will the safeguarding partners assure themselves that fathers are assessed?")


def test_training_or_supervision_not_received_is_a_shortfall(engine):
    assert "training_knowledge" in concerns(
        engine, "The duty worker had been qualified for six months and had not yet completed the county's neglect training.")
    assert "training_knowledge" in concerns(
        engine, "The nurse had read the guidance; neither she nor her manager had received training on coercive control.")
    assert "supervision_oversight" in concerns(engine, "The family support worker had not had supervision since March.")
    assert "training_knowledge" not in concerns(engine, "He had completed the neglect training in 2019.")


def test_review_idioms_for_a_shortfall(engine):
    assert "assessment_quality" in concerns(engine, "A multi-agency chronology and the neglect toolkit were available but not used.")
    assert "information_sharing" in concerns(engine, "The discharge letter was scanned into the record without being read by a doctor.")
    assert "information_sharing" in concerns(
        engine, "The notification was sent three weeks after the attendance instead of within two working days.")
    assert concerns(engine, "The neglect toolkit was used and the chronology was kept up to date.") == set()


def test_a_question_nobody_asked_is_a_shortfall_not_a_hypothetical(engine):
    assert "interagency_working" in concerns(
        engine, "Nobody at the core group asked whether the case should go to a strategy discussion.")
    assert "assessment_quality" in concerns(engine, "No one stood back and asked whether the plan was working.")
    assert concerns(engine, "The review considered whether a strategy discussion should have been held.") == set()


def test_a_quality_word_belongs_to_the_word_it_describes(engine):
    """'poor' in 'poor sleep' says nothing about the GP consultation before it."""
    assert "information_sharing" not in concerns(engine, "The mother consulted her new GP about poor sleep.")
    assert "information_sharing" in concerns(engine, "Information sharing between the agencies was poor and slow.")
    assert "supervision_oversight" in concerns(engine, "Supervision of the case was infrequent.")

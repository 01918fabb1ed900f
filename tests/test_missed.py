import pandas as pd
import pytest

from sca.events.missed import MISSED_COLUMNS, inaction_cue, missed_opportunities


def ev(rows):
    cols = ["doc_id", "event_id", "date", "agency", "counterpart", "contact_type", "child_seen", "concern", "sentence", "page", "para"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows], columns=cols)


def base(*extra):
    # a chronology that runs on well past the events under test
    tail = [("d", "e99", "2021-12-01", "gp", "mother", "appointment", "no", False, "Routine appointment.", 9, "9.9")]
    return ev(list(extra) + tail)


def test_recorded_no_action():
    e = base(("d", "e1", "2021-01-05", "education", "child", "other", "yes", True,
              "The DSL recorded the bruise. No referral was made and Mother was not told.", 3, "4.2"))
    mo = missed_opportunities(e)
    assert list(mo.columns) == MISSED_COLUMNS
    row = mo[mo.event_id == "e1"].iloc[0]
    assert row.rule == "recorded_no_action" and "No referral" in row.reason and row.para == "4.2"


def test_no_concern_no_candidate():
    e = base(("d", "e1", "2021-01-05", "gp", "mother", "appointment", "no", False, "Routine check; no referral needed.", 3, "4.2"))
    assert "e1" not in set(missed_opportunities(e).event_id)


def test_concern_without_response_and_window():
    injury = ("d", "e1", "2021-01-05", "health_visiting", "child", "home_visit", "yes", True, "The HV saw a bruise on the baby's cheek.", 3, "4.1")
    mo = missed_opportunities(base(injury))
    assert list(mo[mo.event_id == "e1"].rule) == ["concern_no_response"]
    # a referral by anyone within the window is a protective response
    referral = ("d", "e2", "2021-01-12", "gp", "childrens_social_care", "referral", "no", True, "The GP referred to CSC.", 3, "4.2")
    assert "e1" not in set(missed_opportunities(base(injury, referral)).event_id)
    # ... but not when it falls outside a shorter window
    assert "e1" in set(missed_opportunities(base(injury, referral), window_days=3).event_id)


def test_silence_at_the_end_of_the_record_is_not_evidence():
    injury = ("d", "e1", "2021-11-28", "health_visiting", "child", "home_visit", "yes", True, "The HV saw a bruise on the baby's cheek.", 3, "4.1")
    assert "e1" not in set(missed_opportunities(base(injury)).event_id)


def test_referral_with_no_recorded_action():
    ref = ("d", "e1", "2021-02-01", "police", "childrens_social_care", "information_shared", "no", True, "Police sent a notification to CSC.", 3, "4.1")
    mo = missed_opportunities(base(ref))
    assert list(mo[mo.event_id == "e1"].rule) == ["referral_no_action"]
    act = ("d", "e2", "2021-02-03", "childrens_social_care", "mother", "home_visit", "yes", True, "A social worker visited.", 3, "4.2")
    assert "e1" not in set(missed_opportunities(base(ref, act)).event_id)


def test_repeated_missed_appointments_and_child_not_seen_run():
    rows = [
        ("d", "e1", "2021-03-01", "hospital", "child", "missed_appointment", "no", True, "Not brought to clinic.", 1, "1"),
        ("d", "e2", "2021-04-01", "hospital", "child", "missed_appointment", "no", True, "Not brought to clinic again.", 1, "2"),
        ("d", "e3", "2021-05-01", "childrens_social_care", "mother", "home_visit", "no", False, "Visit; child at school.", 1, "3"),
        ("d", "e4", "2021-06-01", "childrens_social_care", "mother", "home_visit", "no", False, "Visit; child asleep.", 1, "4"),
        ("d", "e5", "2021-07-01", "childrens_social_care", "mother", "home_visit", "no", False, "Visit; child out.", 1, "5"),
    ]
    mo = missed_opportunities(base(*rows), rules=("repeated_missed_appointments", "child_not_seen_run"))
    assert set(zip(mo.event_id, mo.rule)) == {("e2", "repeated_missed_appointments"), ("e5", "child_not_seen_run")}


def test_inaction_cue():
    assert inaction_cue("The letter was filed without review.") is not None
    assert inaction_cue("The GP made a referral the same day.") is None


def test_bad_input():
    with pytest.raises(TypeError):
        missed_opportunities([1, 2])
    with pytest.raises(ValueError, match="lacks columns"):
        missed_opportunities(pd.DataFrame({"event_id": ["e1"]}))
    assert missed_opportunities(ev([])).empty

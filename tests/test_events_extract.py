"""End-to-end event extraction on Review objects built in the test (no shared files)."""

import pandas as pd
import pytest

from sca.document import Metadata, Paragraph, Review, Section, Table
from sca.events.extract import EVENT_COLUMNS, chronology_sections, extract_events


def review(paragraphs=(), tables=(), heading="4. Summary of agency involvement", kind="chronology", title=None):
    paras = [Paragraph(text=t, number=f"4.{i + 1}", page=3, section=heading, index=i) for i, t in enumerate(paragraphs)]
    secs = [
        Section(heading="1. Introduction", kind="introduction", paragraphs=[Paragraph(text="This review concerns Child A.", number="1.1")]),
        Section(heading=heading, kind=kind, paragraphs=paras),
        Section(heading="5. Analysis", kind="analysis", paragraphs=[Paragraph(text="On 3 March 2016 the GP should have referred Child A.", number="5.1")]),
    ]
    return Review(metadata=Metadata(source="/x/rev1.pdf", title=title), sections=secs, tables=list(tables))


def test_columns_and_provenance():
    ev = extract_events(review(["On 21st February 2013 the health visitor visited Mother at home and saw Child A."]))
    assert list(ev.columns) == EVENT_COLUMNS
    assert len(ev) == 1
    r = ev.iloc[0]
    assert (r.doc_id, r.date, r.date_precision, r.agency, r.contact_type) == ("rev1", "2013-02-21", "day", "health_visiting", "home_visit")
    assert r.child_seen == "yes" and r.page == 3 and r.para == "4.1" and "health visitor" in r.sentence


def test_analysis_section_is_not_chronology():
    ev = extract_events(review(["On 2 March 2016 the school nurse weighed Child A."]))
    assert "2016-03-03" not in set(ev["date"])


def test_two_contacts_in_one_sentence():
    ev = extract_events(review(["The public protection unit sent a notification to the MASH on 19/01/15 and referred Mother to the IDVA service on the same day."]))
    got = set(zip(ev["agency"], ev["counterpart"], ev["contact_type"]))
    assert ("police", "childrens_social_care", "information_shared") in got
    assert ("police", "domestic_abuse_service", "referral") in got
    assert set(ev["date"]) == {"2015-01-19"}


def test_two_dates_two_missed_appointments():
    ev = extract_events(review(["Child A was not brought to the dental clinic on 21/11/16 or on 16/01/17."]))
    assert list(ev["date"]) == ["2016-11-21", "2017-01-16"]
    assert set(ev["contact_type"]) == {"missed_appointment"}
    assert set(ev["agency"]) == {"hospital"}
    assert ev["concern"].all()


def test_year_carried_from_heading_and_previous_dates():
    r = review(["Mother booked with the specialist midwife on 2 May.", "On 9 May the midwife made a referral to children's social care."], heading="May 2019")
    r.sections[1].kind = "other"
    ev = extract_events(r)
    assert list(ev["date"]) == ["2019-05-02", "2019-05-09"]
    assert list(ev["contact_type"]) == ["appointment", "referral"]
    assert ev.iloc[1]["counterpart"] == "childrens_social_care"


def test_police_incident_and_concern():
    ev = extract_events(review(["On 3 June 2017 police were called by a neighbour to an argument between Mother and Mr T; the children were asleep and were not seen."]))
    r = ev.iloc[0]
    assert (r.agency, r.contact_type, r.child_seen, bool(r.concern)) == ("police", "police_incident", "no", True)


def test_table_chronology_and_dedupe_of_row_paragraphs():
    t = Table(
        rows=[
            ["Date", "Agency", "Event", "Child seen"],
            ["14/01/2020", "Midwifery", "Booking appointment at 14 weeks.", "N/A (unborn)"],
            ["20/04/2020", "Police", "Domestic abuse notification to MASH.", "No"],
            ["23/03/2020", "National", "First national lockdown begins.", "-"],
            ["22/07/2020", "HV", "New birth visit at home. Baby R seen undressed and weighed.", "Yes"],
        ],
        page=12, section="Appendix 2: Timeline", section_kind="appendix",
    )
    row_paras = ["14/01/2020 | Midwifery | Booking appointment at 14 weeks. | N/A (unborn)"]
    r = review([], tables=[t], heading="Appendix 2: Timeline", kind="appendix")
    r.sections[1].paragraphs = [Paragraph(text=row_paras[0], kind="table_row", page=12)]
    ev = extract_events(r)
    assert list(ev["agency"]) == ["midwifery", "police", "health_visiting"]  # no "National" row, no duplicate
    assert list(ev["contact_type"]) == ["appointment", "information_shared", "home_visit"]
    assert list(ev["child_seen"]) == ["no", "no", "yes"]
    assert ev.iloc[1]["counterpart"] == "childrens_social_care"
    assert set(ev["source"]) == {"table"} and set(ev["page"]) == {12}


def test_guidance_yields_no_events():
    r = review(["On 3 May 2016 the LSCB must notify Ofsted within five working days."], heading="4. Notification", kind="other",
                title="Multi-Agency Child Protection Procedures")
    r.sections[0].paragraphs[0].text = "This chapter sets out how a review is commissioned."
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # guidance is recognised, not reported as a review without a chronology
        ev = extract_events(r)
    assert ev.empty and list(ev.columns) == EVENT_COLUMNS


def test_relative_dates_from_age_with_birth_date():
    r = review(["Child A was born on 1 March 2015.", "The health visitor visited when Child A was six weeks old and saw her."])
    ev = extract_events(r)
    hv = ev[ev["agency"] == "health_visiting"].iloc[0]
    assert (hv["date"], hv["date_precision"]) == ("2015-04-12", "relative")


def test_rejects_non_review():
    with pytest.raises(TypeError):
        extract_events("not a review")


def test_chronology_found_by_heading_when_kind_missing():
    r = review(["On 5 May 2016 the GP saw Child A."], heading="5. Narrative of professional involvement", kind="other")
    assert [s.heading for s in chronology_sections(r)] == ["5. Narrative of professional involvement"]
    assert isinstance(extract_events(r), pd.DataFrame) and len(extract_events(r)) == 1


def test_review_without_chronology_warns():
    r = review(["The panel met four times."], heading="2. Process", kind="methodology")
    with pytest.warns(UserWarning, match="no chronology"):
        ev = extract_events(r)
    assert ev.empty

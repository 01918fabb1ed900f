"""Unit checks of the cleaning steps: numbers, hyphens, running lines, section kinds, metadata."""

from __future__ import annotations

from sca.structure.blocks import Line
from sca.structure.headfoot import remove_running_lines
from sca.structure.metadata import extract_metadata
from sca.structure.numbering import split_heading_number, split_number
from sca.structure.sections import classify_heading, is_chronology_table
from sca.structure.text import join_lines, vocabulary


def test_paragraph_numbers():
    assert split_number("4.12 The social worker visited.") == ("4.12", "The social worker visited.")
    assert split_number("1.1.3 Text") == ("1.1.3", "Text")
    assert split_number("4-1 The facts are these.") == ("4-1", "The facts are these.")
    assert split_number("22.03.05 the health visitor called")[0] is None  # a date
    assert split_number("16-18 year olds were seen")[0] is None
    assert split_number("4.2 per cent of staff")[0] is None
    assert split_number("The child was seen.")[0] is None
    assert split_heading_number("4. Summary of events") == ("4", "Summary of events")


def test_dehyphenation_uses_the_document_vocabulary():
    vocab = vocabulary(["safeguarding is everyone's business", "multi-agency working"])
    assert join_lines(["the safe-", "guarding partners"], vocab) == "the safeguarding partners"
    assert join_lines(["a multi-", "agency meeting"], vocab) == "a multi-agency meeting"
    assert join_lines(["face-to-", "face visits"], vocab) == "face-to-face visits"
    assert join_lines(["one line", "and the next"], vocab) == "one line and the next"


def _page(pno, body):
    lines = [Line("Northby SCB – Serious Case Review – Child B", pno, 30, 40, 72, 400),
             Line("CONFIDENTIAL", pno, 400, 410, 250, 330)]
    lines += [Line(t, pno, 100 + 15 * i, 110 + 15 * i, 72, 520) for i, t in enumerate(body)]
    lines.append(Line(f"Page {pno} of 4", pno, 800, 810, 260, 320))
    return lines


def test_running_headers_footers_and_watermarks_removed():
    lines = []
    for pno in range(1, 5):
        words = ["mother", "school", "nursery", "police", "midwife", "hospital", "housing", "father"]
        body = [f"The {words[(pno + i) % 8]} spoke to the {words[(pno + 2 * i + 1) % 8]} about it." for i in range(5)]
        lines += _page(pno, body + (["The health visitor saw Child B on 3 May."] if pno == 3 else []))
    kept, removed = remove_running_lines(lines, 4)
    texts = [l.text for l in kept]
    assert all("Serious Case Review" not in t and "Page" not in t and t != "CONFIDENTIAL" for t in texts)
    assert "The health visitor saw Child B on 3 May." in texts
    assert len(kept) == 21


def test_section_kinds_from_wording():
    assert classify_heading("4. Narrative of professional involvement") == "chronology"
    assert classify_heading("Key phases") == "chronology"
    assert classify_heading("Appendix 2: Timeline of agency involvement") == "chronology"
    assert classify_heading("Appendix 1: Terms of reference") == "terms_of_reference"
    assert classify_heading("Appendix 4") == "appendix"
    assert classify_heading("Glossary of acronyms") == "glossary"
    assert classify_heading("7. Lessons learned") == "findings"
    assert classify_heading("Finding 3: The front door looks at today's referral") == "findings"
    assert classify_heading("8. Recommendations") == "recommendations"
    assert classify_heading("Critical analysis") == "analysis"
    assert classify_heading("Process and methodology") == "methodology"
    assert classify_heading("The family") == "family_background"
    assert classify_heading("Mother's early life") is None
    # A numbered label takes its chapter's kind; on its own, the label's own kind.
    assert classify_heading("Learning point 2: Information stayed where it was") is None
    assert classify_heading("Learning point 2: Information stayed where it was", standalone=True) == "findings"
    assert classify_heading("Key episode 1: March to May 2019", standalone=True) == "analysis"
    assert classify_heading("Mother's early life", standalone=True) is None


def test_numbered_labels_take_the_chapter_kind_or_their_own(tmp_path):
    import sca

    (tmp_path / "a.html").write_text(
        "<html><body><h1>Child Safeguarding Practice Review: Child Y</h1>"
        "<h2>1. Introduction</h2><p>1.1 This review concerns Child Y and the work of agencies with his family.</p>"
        "<h2>Learning point 1: Nobody saw the whole picture</h2><p>The school and the GP each held a part.</p>"
        "<h2>6. Analysis of practice</h2><h3>Learning point 2: the home</h3><p>The home was cold and bare.</p>"
        "</body></html>", encoding="utf-8")
    review = sca.read(tmp_path / "a.html")
    kinds = {s.heading: s.kind for s in review.sections}
    assert kinds["Learning point 1: Nobody saw the whole picture"] == "findings"  # no chapter: its own kind
    assert kinds["Learning point 2: the home"] == "analysis"  # under its chapter


def test_chronology_table_recognised_by_header_or_dates():
    assert is_chronology_table([["Date", "Agency", "Event"], ["1 May 2019", "GP", "Seen"]])
    assert is_chronology_table([["When", "Who", "What"], ["16/07/06", "HV", "x"], ["22.03.05", "GP", "y"], ["July 2015", "SW", "z"]])
    assert not is_chronology_table([["Family member", "Referred to as"], ["Mother", "Mother"]])


def test_nspcc_cover_sheet_wins():
    meta = extract_metadata(
        ["Title: Serious case review: Child D", "LSCB: Westmoor Local Safeguarding Children Board",
         "Author: Jo Bright", "Date of publication: 12 March 2014", "Keywords: neglect"],
        "Child D was seen by the GP.",
    )
    assert meta["metadata_source"] == "cover_sheet"
    assert meta["title"] == "Serious case review: Child D"
    assert meta["board"] == "Westmoor Local Safeguarding Children Board"
    assert meta["author"] == "Jo Bright" and meta["year"] == 2014
    assert meta["review_type"] == "SCR" and meta["child_code"] == "Child D"


def test_title_page_metadata_and_review_types():
    meta = extract_metadata(
        ["Cwm Taf Regional Safeguarding Children Board", "Extended Child Practice Review", "CTSB 3/2015 – Child W",
         "Reviewers: Ann Evans, independent reviewer, and Huw Jones, Head of Service, Vale Council", "Published 2016"],
        "",
    )
    assert meta["review_type"] == "CPR" and meta["child_code"] == "Child W"
    assert meta["author"] == "Ann Evans and Huw Jones"
    assert meta["board"] == "Cwm Taf Regional Safeguarding Children Board"
    guidance = extract_metadata(["Northby LSCB Procedures", "Chapter 4: Conducting serious case reviews"], "The panel should meet.")
    assert guidance["review_type"] == "guidance"
    dhr = extract_metadata(["Northby Community Safety Partnership", "Domestic Homicide Review into the death of Ms A"], "")
    assert dhr["review_type"] == "DHR"


def test_running_header_that_changes_by_section_is_removed():
    lines = []
    words = ["mother", "school", "nursery", "police", "midwife", "hospital", "housing", "father", "GP", "court"]
    for pno in range(1, 11):
        head = "Part 1 – Background" if pno <= 3 else "Part 2 – Analysis"
        lines.append(Line(head, pno, 30, 40, 72, 300))
        lines += [Line(f"The {words[(pno + i) % 10]} told the {words[(2 * pno + i) % 10]} on day {pno}{i}.",
                       pno, 100 + 15 * i, 110 + 15 * i, 72, 520) for i in range(6)]
    kept, removed = remove_running_lines(lines, 10)
    assert "Part 1 – Background" in removed and "Part 2 – Analysis" in removed
    assert len(kept) == 60


def test_cover_sheet_split_over_lines():
    meta = extract_metadata(["Title:", "Serious case review: Baby Q", "LSCB:", "Eastby LSCB", "Author:", "A. Writer",
                             "Date of publication:", "May 2015"], "")
    assert (meta["title"], meta["board"], meta["author"], meta["year"]) == (
        "Serious case review: Baby Q", "Eastby LSCB", "A. Writer", 2015)
    assert meta["metadata_source"] == "cover_sheet"

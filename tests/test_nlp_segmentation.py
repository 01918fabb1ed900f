"""Sentence segmentation on review-style text (sca.nlp)."""

import pytest

from sca.nlp import make_nlp, split_sentences, split_sentences_many


def sents(text):
    return [s for _, _, s in split_sentences(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Dr. Smith saw the child. The GP was told.", ["Dr. Smith saw the child.", "The GP was told."]),
        ("Mr. Jones and Mrs. Khan attended. Ms. Lee did not.", ["Mr. Jones and Mrs. Khan attended.", "Ms. Lee did not."]),
        ("Risks were noted, e.g. by the GP, i.e. early. Nothing followed.", ["Risks were noted, e.g. by the GP, i.e. early.", "Nothing followed."]),
        ("See para. 4.12 for details. It matters.", ["See para. 4.12 for details.", "It matters."]),
        ("The report (No. 5) was filed. Later it was lost.", ["The report (No. 5) was filed.", "Later it was lost."]),
        ("The child was seen on 3.4.2010. The mother was present.", ["The child was seen on 3.4.2010.", "The mother was present."]),
        ("4.12 The social worker visited. 4.13 The GP did not.", ["4.12 The social worker visited.", "4.13 The GP did not."]),
        ("The review concerns Child A. She was two.", ["The review concerns Child A.", "She was two."]),
        ("She was seen at 10.30 a.m. The nurse noted a bruise.", ["She was seen at 10.30 a.m.", "The nurse noted a bruise."]),
        ('The mother said "I am fine." The worker accepted this.', ['The mother said "I am fine."', "The worker accepted this."]),
        ("Was the child seen? No! Nobody asked.", ["Was the child seen?", "No!", "Nobody asked."]),
    ],
)
def test_abbreviations_numbers_and_dates(text, expected):
    assert sents(text) == expected


def test_bullets_each_item_is_a_unit():
    text = "The panel recommends that:\n• agencies share information;\n• the board audits practice."
    assert sents(text) == ["The panel recommends that:", "• agencies share information;", "• the board audits practice."]


def test_dash_and_lettered_lists_at_line_start():
    assert sents("Recommendations\n(a) The board should act.\n(b) The LA should audit.") == [
        "Recommendations",
        "(a) The board should act.",
        "(b) The LA should audit.",
    ]
    assert sents("Findings:\n- no plan\n- no review") == ["Findings:", "- no plan", "- no review"]


def test_table_rows_are_separate_units():
    text = "Date | Agency | Event\n12/03/2015 | GP | Mother attended\n13/03/2015 | HV | Home visit"
    assert sents(text) == ["Date | Agency | Event", "12/03/2015 | GP | Mother attended", "13/03/2015 | HV | Home visit"]
    assert len(sents("Date\tAgency\n1.2.2015\tGP")) == 2


def test_wrapped_lines_stay_joined_but_blank_lines_split():
    assert sents("The line wraps here and the\nsentence continues. Next one.") == [
        "The line wraps here and the\nsentence continues.",
        "Next one.",
    ]
    assert sents("First paragraph without stop\n\nSecond paragraph") == ["First paragraph without stop", "Second paragraph"]


def test_offsets_point_into_the_text():
    text = "  Dr. Patel saw Child A.  She was well.  "
    for start, end, s in split_sentences(text):
        assert text[start:end] == s
    assert [s for *_, s in split_sentences(text)] == ["Dr. Patel saw Child A.", "She was well."]


def test_empty_text_gives_no_sentences():
    assert split_sentences("") == []
    assert split_sentences("  \n ") == []


def test_pipeline_is_blank_english_with_our_component():
    nlp = make_nlp()
    assert nlp.lang == "en"
    assert "sca_sentences" in nlp.pipe_names
    assert make_nlp() is nlp
    many = list(split_sentences_many(["A b. C d.", "One."]))
    assert [len(x) for x in many] == [2, 1]

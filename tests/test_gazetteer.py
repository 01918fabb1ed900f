import pytest

from sca.errors import GazetteerError
from sca.events.gazetteer import Gazetteer, default_gazetteer


@pytest.mark.parametrize(
    "text,aid",
    [
        ("the MASH screened it", "childrens_social_care"),
        ("Children's Services", "childrens_social_care"),
        ("a duty social worker", "childrens_social_care"),
        ("officers from the PPU", "police"),
        ("the health visitor (HV)", "health_visiting"),
        ("she attended A&E", "emergency_department"),
        ("seen in the ED", "emergency_department"),
        ("the community mental health team", "adult_mental_health"),
        ("the IDVA", "domestic_abuse_service"),
        ("the YOT worker", "youth_justice"),
        ("Cafcass", "courts_legal"),
        ("the designated safeguarding lead", "education"),
        ("paramedics", "ambulance"),
        ("a consultant paediatrician", "hospital"),
    ],
)
def test_surface_forms(text, aid):
    assert default_gazetteer().agency_of(text) == aid


def test_acronyms_are_case_sensitive():
    g = default_gazetteer()
    assert g.agency_of("she was tired and red-eyed") is None  # no "ED" in "red"
    assert g.agency_of("he edited it") is None


def test_longest_form_wins():
    ms = default_gazetteer().find_agencies("referred to the community mental health team")
    assert [m.id for m in ms] == ["adult_mental_health"]
    assert ms[0].text == "community mental health team"


@pytest.mark.parametrize(
    "text,role",
    [("Child A", "child"), ("Baby F", "child"), ("Child 1", "child"), ("the mother", "mother"), ("Mother", "mother"),
     ("Ms M", "mother"), ("Mr T", "partner"), ("Adult 2", "other_family"), ("MGM", "grandparent"), ("Father", "father")],
)
def test_family_roles(text, role):
    assert default_gazetteer().family_role(f"{text} was there") == role


def test_user_extension(tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text("agencies:\n  police:\n    forms: [Constabulary Hub]\n  foodbank:\n    forms: [Larder Project]\n")
    g = Gazetteer.load(extra=extra)
    assert g.agency_of("the Constabulary Hub") == "police"
    assert g.agency_of("the Larder Project") == "foodbank"
    assert default_gazetteer().agency_of("the Larder Project") is None


def test_bad_gazetteer_names_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("agencies: [1, 2]\n")
    with pytest.raises(GazetteerError, match="bad.yaml"):
        Gazetteer.load(bad)
    bad.write_text("agencies:\n  Bad-Id:\n    forms: [x]\n")
    with pytest.raises(GazetteerError, match="Bad-Id"):
        Gazetteer.load(bad)
    with pytest.raises(GazetteerError, match="not found"):
        Gazetteer.load(tmp_path / "missing.yaml")

import datetime as dt

import pytest

from sca.events.dates import DateContext, find_birth_dates, find_dates, parse_date


def one(text, **ctx):
    ms = find_dates(text, DateContext(**ctx) if ctx else None)
    assert ms, f"no date found in {text!r}"
    return ms[0]


@pytest.mark.parametrize(
    "text,iso,precision",
    [
        ("On 21st February 2013 the GP saw Mother", "2013-02-21", "day"),
        ("21 February 2013", "2013-02-21", "day"),
        ("February 21, 2013", "2013-02-21", "day"),
        ("seen on 16/07/06", "2006-07-16", "day"),
        ("seen on 22.03.05", "2005-03-22", "day"),
        ("16/07/2006", "2006-07-16", "day"),
        ("In July 2015 the school", "2015-07-01", "month"),
        ("early April 2019", "2019-04-01", "month"),
        ("March 2008 - March 2009", "2008-03-01", "range"),
        ("in early 2012", "2012-01-01", "range"),
        ("w/c 6 July 2020", "2020-07-06", "range"),
        ("w/c 07/09/2020", "2020-09-07", "range"),
        ("27 to 30 December 2021", "2021-12-27", "range"),
        ("the summer of 2012", "2012-07-01", "range"),
        ("during 2014", "2014-01-01", "year"),
    ],
)
def test_absolute_formats(text, iso, precision):
    m = one(text)
    assert (m.iso, m.precision) == (iso, precision)


def test_uk_day_first_and_two_digit_years():
    assert one("on 03/04/99").iso == "1999-04-03"
    assert one("on 03/04/16").iso == "2016-04-03"
    assert parse_date("31/02/2016") is None  # not a date


def test_range_end():
    m = one("November 2016 – January 2017")
    assert m.iso_end == "2017-01-31"


def test_year_inferred_from_context_and_rolls_over():
    ctx = DateContext(last=dt.date(2019, 12, 23), year=2019)
    assert find_dates("on 8 January the HV visited", ctx)[0].iso == "2020-01-08"
    ctx = DateContext(last=dt.date(2019, 4, 2), year=2019)
    assert find_dates("on 11 April the GP", ctx)[0].iso == "2019-04-11"


def test_two_days_in_one_phrase():
    ms = find_dates("visits on 18 and 25 June", DateContext(year=2019, last=dt.date(2019, 6, 1)))
    assert [m.iso for m in ms] == ["2019-06-18", "2019-06-25"]


def test_relative_to_previous_date():
    ctx = DateContext(last=dt.date(2020, 5, 1), year=2020)
    assert find_dates("two days later", ctx)[0].iso == "2020-05-03"
    assert find_dates("the following day", ctx)[0].iso == "2020-05-04"
    assert find_dates("the same day", ctx)[0].precision == "relative"


def test_child_age_anchored_to_birth():
    ctx = DateContext(dob={"Child A": dt.date(2015, 3, 1)})
    m = find_dates("when Child A was six weeks old the HV visited", ctx)[0]
    assert (m.iso, m.precision) == ("2015-04-12", "relative")


def test_child_age_without_birth_date_has_no_date():
    m = find_dates("when Child A was six weeks old", DateContext())[0]
    assert m.date is None and m.precision == "relative"


def test_pregnancy_weeks_anchored_to_birth():
    ctx = DateContext(dob={"": dt.date(2008, 6, 10)})
    assert find_dates("when she was about twelve weeks pregnant", ctx)[0].iso == "2007-11-27"  # 28 weeks before birth


def test_seasons_follow_the_running_date():
    ctx = DateContext(last=dt.date(2008, 11, 10), year=2008)
    assert find_dates("In the spring of the following year", ctx)[0].date.year == 2009
    ctx = DateContext(last=dt.date(2007, 11, 27), year=2007)
    m = find_dates("Shortly before Christmas that year", ctx)[0]
    assert m.date == dt.date(2007, 12, 18)


def test_not_dates():
    for t in ["at 14 weeks", "It may be that", "a dose of 12.5 mg", "summer term attendance was 81%", "aged 3"]:
        assert find_dates(t) == [], t


def test_birth_dates():
    assert find_birth_dates("Baby R was born on 9 July 2020.")["Baby R"] == dt.date(2020, 7, 9)
    est = find_birth_dates("Child K, then aged two years and seven months, was hurt in the early part of 2011.")
    assert est["Child K"] == dt.date(2008, 6, 1)


def test_ages_stated_for_two_children_and_birthdays():
    text = "In the spring of 2014, when Child 1 was seven and Child 2 was two, police forced entry."
    dobs = find_birth_dates(text)
    assert dobs["Child 1"].year == 2007 and dobs["Child 2"].year == 2012
    ctx = DateContext(dob=dobs, subject="Child 2")
    m = find_dates("The GP saw her shortly after her second birthday.", ctx)[0]
    assert m.date.year == 2014 and m.precision == "relative"
    ctx = DateContext(dob={"Child 1": dt.date(2010, 1, 1)})
    assert find_dates("at the age of five years and three months", ctx)[0].iso == "2015-04-01"
    assert find_dates("when Child 1 was born", ctx)[0].iso == "2010-01-01"

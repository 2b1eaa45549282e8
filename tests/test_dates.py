from datetime import date

import pytest

from loaders.dates import DateError, parse_date, sort_key


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "precision"),
    [
        ("2014-12-03", date(2014, 12, 3), date(2014, 12, 3), "day"),
        ("3 December 2014", date(2014, 12, 3), date(2014, 12, 3), "day"),
        ("December 2014", date(2014, 12, 1), date(2014, 12, 31), "month"),
        ("Dec 2014", date(2014, 12, 1), date(2014, 12, 31), "month"),
        ("Sept 2015", date(2015, 9, 1), date(2015, 9, 30), "month"),
        ("Feb 2016", date(2016, 2, 1), date(2016, 2, 29), "month"),
        ("early 2015", date(2015, 1, 1), date(2015, 4, 30), "part"),
        ("mid-2009", date(2009, 5, 1), date(2009, 8, 31), "part"),
        ("late 2012", date(2012, 9, 1), date(2012, 12, 31), "part"),
        ("winter 2014", date(2014, 12, 1), date(2015, 2, 28), "season"),
        ("2013", date(2013, 1, 1), date(2013, 12, 31), "year"),
        ("about Aug 2008", date(2008, 8, 1), date(2008, 8, 31), "month"),
        ("Aug 2012 – May 2013", date(2012, 8, 1), date(2013, 5, 31), "range"),
        ("2013-2015", date(2013, 1, 1), date(2015, 12, 31), "range"),
        ("from Sep 2014", date(2014, 9, 1), None, "open"),
        ("until Feb 2015", None, date(2015, 2, 28), "open"),
        ("Sep 2014 –", date(2014, 9, 1), None, "open"),
        # as agency chronologies write them (issue 16)
        ("22/05/2016", date(2016, 5, 22), date(2016, 5, 22), "day"),
        ("22/05/16", date(2016, 5, 22), date(2016, 5, 22), "day"),
        ("22.05.2016", date(2016, 5, 22), date(2016, 5, 22), "day"),
        ("22-05-2016", date(2016, 5, 22), date(2016, 5, 22), "day"),
        ("22-May-16", date(2016, 5, 22), date(2016, 5, 22), "day"),
        ("w/c 3 Mar 2014", date(2014, 3, 3), date(2014, 3, 9), "week"),
        ("week commencing 03/03/2014", date(2014, 3, 3), date(2014, 3, 9), "week"),
        ("?22 May 2016", date(2016, 5, 22), date(2016, 5, 22), "approximate"),
        ("22 May 2016 (?)", date(2016, 5, 22), date(2016, 5, 22), "approximate"),
        ("Spring 2014", date(2014, 3, 1), date(2014, 5, 31), "season"),
        ("c. 2012", date(2012, 1, 1), date(2012, 12, 31), "year"),
        ("unknown", None, None, "unknown"),
        ("Not known", None, None, "unknown"),
    ],
)
def test_review_date_forms(text, earliest, latest, precision):
    span = parse_date(text)
    assert (span.earliest, span.latest, span.precision, span.text) == (earliest, latest, precision, text)


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "soon",
        "2015-02-30",
        "13/2015",
        "May 2016 – Jan 2015",
        None,
        ["2015"],
        "32/05/2016",
        "22/13/2016",
        "?",
        "w/c May 2014",
    ],
)
def test_unreadable_dates_say_what_is_expected(bad):
    with pytest.raises(DateError, match="expected"):
        parse_date(bad)


def test_ordering_and_before_questions_use_the_interval():
    texts = ["2013", "late 2012", "Dec 2012", "early 2013", "Aug 2012 – May 2013", "from Jan 2013"]
    ordered = [s.text for s in sorted(map(parse_date, texts), key=sort_key)]
    assert ordered == ["Aug 2012 – May 2013", "late 2012", "Dec 2012", "early 2013", "2013", "from Jan 2013"]
    # "December 2014" could be any day that month: it is certainly before 2015, possibly before 15 Dec.
    dec = parse_date("December 2014")
    assert dec.latest < date(2015, 1, 1)
    assert dec.earliest < date(2014, 12, 15) < dec.latest

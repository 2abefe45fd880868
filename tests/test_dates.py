"""English date expressions and their TEI normalisation (editio.dates)."""

from __future__ import annotations

import pytest

from editio.dates import DateValue, find_dates, parse_date


def _period(nb, na, cert):
    return {"notBefore": nb, "notAfter": na, "cert": cert}


@pytest.mark.parametrize("expression, attributes", [
    # days
    ("September 1, 1936", {"when": "1936-09-01"}),
    ("September 1 1936", {"when": "1936-09-01"}),
    ("September 1st, 1936", {"when": "1936-09-01"}),
    ("Sept. 1, 1936", {"when": "1936-09-01"}),
    ("1 September 1936", {"when": "1936-09-01"}),
    ("1st September 1936", {"when": "1936-09-01"}),
    ("the 1st of September, 1936", {"when": "1936-09-01"}),
    ("February 29, 1936", {"when": "1936-02-29"}),
    # months and years
    ("January 1937", {"when": "1937-01"}),
    ("January, 1937", {"when": "1937-01"}),
    ("May 1937", {"when": "1937-05"}),
    ("1936", {"when": "1936"}),
    # parts of a year
    ("the end of 1936", _period("1936-10-01", "1936-12-31", "medium")),
    ("The end of 1936", _period("1936-10-01", "1936-12-31", "medium")),
    ("the beginning of 1937", _period("1937-01-01", "1937-03-31", "medium")),
    ("the start of 1937", _period("1937-01-01", "1937-03-31", "medium")),
    ("early 1937", _period("1937-01-01", "1937-04-30", "medium")),
    ("late 1936", _period("1936-09-01", "1936-12-31", "medium")),
    ("mid-1937", _period("1937-05-01", "1937-08-31", "medium")),
    ("the middle of 1937", _period("1937-05-01", "1937-08-31", "medium")),
    ("the first half of 1937", _period("1937-01-01", "1937-06-30", "high")),
    ("the second half of 1937", _period("1937-07-01", "1937-12-31", "high")),
    # seasons
    ("the spring of 1937", _period("1937-03-01", "1937-05-31", "medium")),
    ("the summer of 1937", _period("1937-06-01", "1937-08-31", "medium")),
    ("summer 1937", _period("1937-06-01", "1937-08-31", "medium")),
    ("the autumn of 1936", _period("1936-09-01", "1936-11-30", "medium")),
    ("the fall of 1936", _period("1936-09-01", "1936-11-30", "medium")),
    ("the winter of 1936", _period("1936-12-01", "1937-02-28", "low")),
    ("the winter of 1936-37", _period("1936-12-01", "1937-02-28", "medium")),
    ("the winter of 1939–1940", _period("1939-12-01", "1940-02-29", "medium")),
    # parts of a month
    ("early September 1936", _period("1936-09-01", "1936-09-10", "medium")),
    ("mid-May 1937", _period("1937-05-11", "1937-05-20", "medium")),
    ("late February 1936", _period("1936-02-21", "1936-02-29", "medium")),
    ("the end of February 1937", _period("1937-02-21", "1937-02-28", "medium")),
    ("the beginning of March 1938", _period("1938-03-01", "1938-03-10", "medium")),
    # decades
    ("the 1930s", _period("1930-01-01", "1939-12-31", "high")),
    ("the 1930’s", _period("1930-01-01", "1939-12-31", "high")),
    ("the early 1930s", _period("1930-01-01", "1933-12-31", "medium")),
    ("the mid-1930s", _period("1934-01-01", "1936-12-31", "medium")),
    ("the late 1920s", _period("1927-01-01", "1929-12-31", "medium")),
])
def test_each_form_is_normalised(expression, attributes):
    value = parse_date(expression)
    assert value is not None, expression
    assert value.attributes() == attributes


@pytest.mark.parametrize("text", [
    "February 30, 1936",     # not in the calendar
    "February 29, 1937",     # not a leap year
    "September 1",           # no year: no anchor
    "a few days later",
    "5,000 people",
    "1936-37",               # a span, not a year
    "the summer of 1936-37",  # a season does not span two years (only winter does)
    "may 1937",              # the verb, not the month
    "page 12",
])
def test_non_dates_are_not_normalised(text):
    assert parse_date(text) is None
    assert all(m.text != text for m in find_dates(text))


def test_find_dates_gives_positions_and_prefers_the_longest_expression():
    text = "At the end of 1936, and on September 1, 1936, in 1937."
    found = find_dates(text)
    assert [m.text for m in found] == ["the end of 1936", "September 1, 1936", "1937"]
    for m in found:
        assert text[m.start:m.end] == m.text


def test_a_bare_year_after_a_preposition_is_more_certain():
    after, bare = find_dates("in 1936"), find_dates("1936 prisoners")
    assert after[0].confidence > bare[0].confidence
    assert after[0].confidence >= 0.9 > bare[0].confidence


def test_years_inside_numbers_and_words_are_ignored():
    assert find_dates("5,1936 and 19365 and x1936 and 1936x") == []


def test_attribute_order_is_fixed():
    assert list(DateValue(when=None, not_before="1", not_after="2", cert="low").attributes()) == \
        ["notBefore", "notAfter", "cert"]

"""English date expressions found in running text, normalised to TEI date attributes.

``find_dates(text)`` returns every expression it recognises with its position
and the attributes of a TEI ``<date>``; ``parse_date(expr)`` normalises one
whole expression. The conventions (what "the end of 1936" means) are the
edition's, written down once here:

===========================  =========================  =======
expression                   normalised                 @cert
===========================  =========================  =======
September 1, 1936            when=1936-09-01            -
1 September 1936             when=1936-09-01            -
January 1937                 when=1937-01               -
1936                         when=1936                  -
the beginning of 1937        1937-01-01 .. 1937-03-31   medium
early 1937                   1937-01-01 .. 1937-04-30   medium
the middle of 1937, mid-1937 1937-05-01 .. 1937-08-31   medium
late 1936                    1936-09-01 .. 1936-12-31   medium
the end of 1936              1936-10-01 .. 1936-12-31   medium
the first half of 1937       1937-01-01 .. 1937-06-30   high
the second half of 1937      1937-07-01 .. 1937-12-31   high
the spring of 1937           1937-03-01 .. 1937-05-31   medium
the summer of 1937           1937-06-01 .. 1937-08-31   medium
the autumn (fall) of 1936    1936-09-01 .. 1936-11-30   medium
the winter of 1936           1936-12-01 .. 1937-02-28   low
the winter of 1936-37        1936-12-01 .. 1937-02-28   medium
early / mid / late May 1937  days 1-10 / 11-20 / 21-31  medium
the beginning / end of May   days 1-10 / 21-31          medium
the 1930s                    1930-01-01 .. 1939-12-31   high
the early / mid / late 1930s 1930-33 / 1934-36 / 1937-39 medium
===========================  =========================  =======

"The winter of 1936" is ambiguous (December 1936 to February 1937, or the
first months of 1936); editio reads it as the winter that begins in December
of the named year, like "the winter of 1936-37", and marks it ``cert="low"``
so that an editor checks it. A bare year is a date only when it stands alone
(not "1936-37", "5,000" or "1930s"); after a preposition ("in 1936") it is
more certainly a year than elsewhere ("1936 prisoners"), which the match's
confidence says. Expressions without a year ("September 1", "a few days
later") are not normalised: their anchor is not in the words.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

MONTHS = {
    "January": 1, "February": 2, "March": 3, "April": 4, "May": 5, "June": 6, "July": 7,
    "August": 8, "September": 9, "October": 10, "November": 11, "December": 12,
}
_ABBREVIATIONS = {
    "Jan.": 1, "Feb.": 2, "Mar.": 3, "Apr.": 4, "Jun.": 6, "Jul.": 7, "Aug.": 8,
    "Sep.": 9, "Sept.": 9, "Oct.": 10, "Nov.": 11, "Dec.": 12,
}
_MONTH_NUMBER = {**MONTHS, **_ABBREVIATIONS}

#: Parts of a year: (first month, first day, last month, last day, cert).
_YEAR_PARTS = {
    "beginning": (1, 1, 3, 31, "medium"),
    "start": (1, 1, 3, 31, "medium"),
    "early": (1, 1, 4, 30, "medium"),
    "middle": (5, 1, 8, 31, "medium"),
    "mid": (5, 1, 8, 31, "medium"),
    "late": (9, 1, 12, 31, "medium"),
    "end": (10, 1, 12, 31, "medium"),
    "first half": (1, 1, 6, 30, "high"),
    "second half": (7, 1, 12, 31, "high"),
    "spring": (3, 1, 5, 31, "medium"),
    "summer": (6, 1, 8, 31, "medium"),
    "autumn": (9, 1, 11, 30, "medium"),
    "fall": (9, 1, 11, 30, "medium"),
}
#: Parts of a month: (first day, last day or None for the month's end).
_MONTH_PARTS = {
    "beginning": (1, 10), "start": (1, 10), "early": (1, 10),
    "middle": (11, 20), "mid": (11, 20),
    "end": (21, None), "late": (21, None),
}
#: Parts of a decade: (first year offset, last year offset, cert).
_DECADE_PARTS = {"": (0, 9, "high"), "early": (0, 3, "medium"), "mid": (4, 6, "medium"), "late": (7, 9, "medium")}

#: Words after which a bare four-digit number is almost surely a year.
_YEAR_PREPOSITIONS = {"in", "of", "since", "until", "till", "by", "from", "to", "before", "after", "during",
                      "year", "around", "about", "autumn", "spring", "summer", "winter", "early", "late"}


@dataclass(frozen=True)
class DateValue:
    """Normalised TEI date attributes; either ``when`` or ``not_before``/``not_after``."""

    when: str | None = None
    not_before: str | None = None
    not_after: str | None = None
    cert: str | None = None

    def attributes(self) -> dict[str, str]:
        """The TEI attributes in a fixed order: when | notBefore, notAfter, cert."""
        out = {}
        if self.when:
            out["when"] = self.when
        if self.not_before:
            out["notBefore"] = self.not_before
        if self.not_after:
            out["notAfter"] = self.not_after
        if self.cert:
            out["cert"] = self.cert
        return out


@dataclass(frozen=True)
class DateMatch:
    """A date expression at ``text[start:end]`` with its normalised value."""

    start: int
    end: int
    text: str
    value: DateValue
    confidence: float = 1.0


def _iso(year: int, month: int | None = None, day: int | None = None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _period(y1: int, m1: int, d1: int, y2: int, m2: int, d2: int | None, cert: str) -> DateValue:
    if d2 is None:
        d2 = _last_day(y2, m2)
    return DateValue(not_before=_iso(y1, m1, d1), not_after=_iso(y2, m2, d2), cert=cert)


# --- the patterns --------------------------------------------------------------
# Each alternative is a template: {Y} a year, {M} a month name, {D} a day; the
# placeholders become uniquely named groups so one compiled regex scans for all.

_Y = r"(?P<{g}>1[0-9]\d\d|20\d\d)"
_M = "(?P<{g}>" + "|".join(re.escape(m) for m in sorted(_MONTH_NUMBER, key=len, reverse=True)) + ")"
_D = r"(?P<{g}>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_THE = r"(?:[Tt]he\s+)?"
_SEASON = r"(?P<{g}>[Ss]pring|[Ss]ummer|[Aa]utumn|[Ff]all|[Ww]inter)"
_END = r"(?![\w]|[-–/]\d|,\d)"

_TEMPLATES = [
    # "September 1, 1936", "Sept. 1st 1936"
    ("day", r"{M}\s+{D},?\s+{Y}"),
    # "1 September 1936", "the 1st of September, 1936"
    ("day", _THE + r"{D}\s+(?:of\s+)?{M},?\s+{Y}"),
    # "the end of September 1936", "early September 1936", "mid-September 1936"
    ("month_part", _THE + r"(?P<{g}>beginning|start|middle|end)\s+of\s+{M},?\s+{Y}"),
    ("month_part", r"(?P<{g}>[Ee]arly|[Ll]ate|[Mm]id)(?:-|\s+){M},?\s+{Y}"),
    # "January 1937", "January, 1937"
    ("month", r"{M},?\s+{Y}"),
    # "the winter of 1936-37", "the summer of 1937", "autumn 1936"
    ("season", _THE + _SEASON + r"\s+(?:of\s+)?{Y}(?:\s*[-–/]\s*(?P<{g}>\d\d(?:\d\d)?))?"),
    # "the end of 1936", "the first half of 1937"
    ("year_part", _THE + r"(?P<{g}>beginning|start|middle|end|first\s+half|second\s+half)\s+of\s+(?:the\s+year\s+)?{Y}"),
    # "early 1937", "late 1936", "mid-1937"
    ("year_part", r"(?P<{g}>[Ee]arly|[Ll]ate|[Mm]id)(?:-|\s+){Y}"),
    # "the 1930s", "the early 1930s", "the mid-1930s"
    ("decade", _THE + r"(?:(?P<{g}>early|mid|late)(?:-|\s+))?(?P<{g}>1[0-9]\d0|20\d0)['’]?s"),
    # "1936" alone
    ("year", r"(?<![\d,.\-–/])" + "{Y}" + r"(?![-–/]\d|['’]?s\b)"),
]


def _compile():
    parts = []
    groups = []  # per alternative: (kind, [group names in template order])
    for i, (kind, template) in enumerate(_TEMPLATES):
        names = []

        def sub(match, i=i, names=names):
            base = {"Y": _Y, "M": _M, "D": _D}.get(match.group(1))
            name = f"g{i}_{len(names)}"
            names.append((match.group(1), name))
            return base.format(g=name)

        body = re.sub(r"\{([YMD])\}", sub, template)
        # the other named groups ({g} in literal pattern parts) get names too
        counter = [0]

        def sub_g(match, i=i, names=names, counter=counter):
            name = f"g{i}_x{counter[0]}"
            counter[0] += 1
            names.append(("X", name))
            return f"(?P<{name}>"

        body = re.sub(r"\(\?P<\{g\}>", sub_g, body)
        parts.append(f"(?P<alt{i}>{body})")
        groups.append((kind, names))
    pattern = r"(?<![\w])(?:" + "|".join(parts) + ")" + _END
    return re.compile(pattern), groups


_PATTERN, _GROUPS = _compile()
_DIGIT = re.compile(r"\d")


def _value(kind: str, fields: list[tuple[str, str | None]]) -> DateValue | None:
    """The normalised value of one match; None when the date does not exist."""
    years = [int(v) for k, v in fields if k == "Y" and v]
    months = [_MONTH_NUMBER[v] for k, v in fields if k == "M" and v]
    days = [int(v) for k, v in fields if k == "D" and v]
    extra = [v for k, v in fields if k == "X"]
    try:
        if kind == "day":
            y, m, d = years[0], months[0], days[0]
            if d > _last_day(y, m):
                return None
            return DateValue(when=_iso(y, m, d))
        if kind == "month":
            return DateValue(when=_iso(years[0], months[0]))
        if kind == "year":
            return DateValue(when=_iso(years[0]))
        if kind == "month_part":
            part = extra[0].lower()
            y, m = years[0], months[0]
            first, last = _MONTH_PARTS[part]
            return _period(y, m, first, y, m, last, "medium")
        if kind == "year_part":
            part = re.sub(r"\s+", " ", extra[0].lower())
            y = years[0]
            m1, d1, m2, d2, cert = _YEAR_PARTS[part]
            return _period(y, m1, d1, y, m2, d2, cert)
        if kind == "season":
            season = extra[0].lower()
            y = years[0]
            second = extra[1] if len(extra) > 1 else None
            if season == "winter":
                if second:
                    y2 = int(second) if len(second) == 4 else (y // 100) * 100 + int(second)
                    if y2 != y + 1:
                        return None
                    cert = "medium"
                else:
                    cert = "low"
                return _period(y, 12, 1, y + 1, 2, None, cert)
            if second:
                return None  # "the summer of 1936-37" is not a season
            m1, d1, m2, d2, cert = _YEAR_PARTS[season]
            return _period(y, m1, d1, y, m2, d2, cert)
        if kind == "decade":
            part = (extra[0] or "").lower() if len(extra) > 1 else ""
            decade = int(extra[-1])
            first, last, cert = _DECADE_PARTS[part]
            return _period(decade + first, 1, 1, decade + last, 12, 31, cert)
    except (IndexError, KeyError, ValueError):
        return None
    return None


def _confidence(kind: str, text: str, start: int) -> float:
    if kind != "year":
        return 1.0
    before = re.search(r"(\w+)\W*$", text[max(0, start - 20):start])
    return 0.9 if before and before.group(1).lower() in _YEAR_PREPOSITIONS else 0.8


def find_dates(text: str) -> list[DateMatch]:
    """Every recognised date expression in ``text``, in order, never overlapping."""
    out = []
    if not _DIGIT.search(text):  # every expression has a year
        return out
    for m in _PATTERN.finditer(text):
        alt = m.lastgroup
        kind, names = _GROUPS[int(alt[3:])]
        value = _value(kind, [(k, m.group(n)) for k, n in names])
        if value is None:
            continue
        out.append(DateMatch(m.start(), m.end(), m.group(0), value, _confidence(kind, text, m.start())))
    return out


def parse_date(expression: str) -> DateValue | None:
    """The normalised value of one whole date expression, or None if it is not one."""
    expression = expression.strip()
    for match in find_dates(expression):
        if match.start == 0 and match.end == len(expression):
            return match.value
    return None

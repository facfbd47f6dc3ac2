"""Parse publication dates into timestamps with a precision: day, month, year or unknown.

News data carries dates as "2025-03-13", "March 2025", "2025", "13/03/2025",
"2025-03-13T09:30:00+01:00" or nothing at all. Each becomes a naive UTC timestamp
(the first instant of the period for month and year precision) and a precision, so a
"March 2025" article is never mistaken for one published on March 1.

>>> parse_dates(pd.Series(["2025-03-13", "March 2025", "2025", "", "soon"]))[["date", "date_precision"]]
        date date_precision
0 2025-03-13            day
1 2025-03-01          month
2 2025-01-01           year
3        NaT        unknown
4        NaT        unknown
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import pandas as pd

PRECISIONS = ("day", "month", "year", "unknown")

_YEAR = re.compile(r"^\d{4}$")
_YEAR_MONTH = re.compile(r"^\d{4}[-/.]\d{1,2}$")
_MONTH_YEAR = re.compile(r"^(?:[A-Za-z]{3,9}\.?,?\s+\d{4}|\d{4}\s+[A-Za-z]{3,9})$")
_HAS_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_MONTHS = {
    m.lower()
    for m in (
        "January February March April May June July August September October November December "
        "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
    ).split()
}


def _precision_of_format(date_format: str) -> str:
    if "%d" in date_format or "%j" in date_format:
        return "day"
    if any(code in date_format for code in ("%m", "%b", "%B")):
        return "month"
    return "year"


#: The dates a pandas ``datetime64[ns]`` column can hold.
FIRST_DATE, LAST_DATE = pd.Timestamp.min.ceil("D"), pd.Timestamp.max.floor("D")
_RANGE = f"outside the dates pandas can hold ({FIRST_DATE.date()} to {LAST_DATE.date()})"


class _OutOfRange(ValueError):
    pass


def _to_naive_utc(ts) -> pd.Timestamp:
    ts = pd.Timestamp(ts)
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    try:
        return ts.as_unit("ns")
    except (OverflowError, ValueError):  # OutOfBoundsDatetime is a ValueError
        raise _OutOfRange(_RANGE) from None


def _start(year: int, month: int = 1) -> pd.Timestamp:
    try:
        return pd.Timestamp(year, month, 1).as_unit("ns")
    except (OverflowError, ValueError) as exc:
        raise (_OutOfRange(_RANGE) if 1 <= month <= 12 else exc) from None


@lru_cache(maxsize=65536)
def _parse_one(value: str, dayfirst: bool, date_format: str | None) -> tuple[pd.Timestamp, str, str | None]:
    text = value.strip()
    if not text:
        return pd.NaT, "unknown", None
    try:
        if date_format:
            ts = pd.to_datetime(text, format=date_format)
            return _to_naive_utc(ts), _precision_of_format(date_format), None
        if _YEAR.match(text):
            return _start(int(text)), "year", None
        if _YEAR_MONTH.match(text):
            year, month = re.split(r"[-/.]", text)
            return _start(int(year), int(month)), "month", None
        if _MONTH_YEAR.match(text):
            word = re.sub(r"[\d\s.,]", "", text).lower()
            if word not in _MONTHS:
                return pd.NaT, "unknown", f"{_shown(value)}: {word!r} is not a month name"
            ts = pd.to_datetime(text.replace(".", "").replace(",", ""), format="mixed")
            return _start(ts.year, ts.month), "month", None
        if not _HAS_YEAR.search(text):
            # dateutil would fill a missing year from today's date: refuse instead.
            return pd.NaT, "unknown", f"{_shown(value)} has no four-digit year; pass date_format=..."
        ts = pd.to_datetime(text, dayfirst=dayfirst, format="mixed")
        return _to_naive_utc(ts), "day", None
    except _OutOfRange:
        return pd.NaT, "unknown", f"{_shown(value)} is {_RANGE}"
    except (ValueError, OverflowError, TypeError) as exc:
        return pd.NaT, "unknown", f"{_shown(value)} is not a date ({str(exc)[:200]})"


def _shown(value) -> str:
    """A value as a message shows it: its repr, cut to 60 characters."""
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:60]}... ({len(text):,} characters)"


def parse_date(value: object, dayfirst: bool = False, date_format: str | None = None):
    """Parse one value; returns ``(timestamp or NaT, precision, error message or None)``.

    >>> parse_date("Jan. 9, 2026")[:2]
    (Timestamp('2026-01-09 00:00:00'), 'day')
    """
    if value is None or (pd.api.types.is_scalar(value) and not isinstance(value, str) and pd.isna(value)):
        return pd.NaT, "unknown", None
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        try:
            return _to_naive_utc(value), "day", None
        except _OutOfRange:
            return pd.NaT, "unknown", f"{_shown(value)} is {_RANGE}"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if (isinstance(value, int) or float(value).is_integer()) and 1000 <= value <= 9999:
            try:
                return _start(int(value)), "year", None
            except _OutOfRange:
                return pd.NaT, "unknown", f"{_shown(value)} is {_RANGE}"
        return pd.NaT, "unknown", f"{_shown(value)} is a number, not a date"
    if not isinstance(value, str):
        return pd.NaT, "unknown", f"{_shown(value)} is a {type(value).__name__}, not a date"
    return _parse_one(value, dayfirst, date_format)


def parse_dates(
    values: pd.Series,
    dayfirst: bool | None = False,
    date_format: str | None = None,
    precision: pd.Series | None = None,
) -> pd.DataFrame:
    """Parse a column of dates; returns ``date, date_precision, date_error`` aligned to ``values``.

    ``precision``, when given (a ``date_precision`` column of the input), overrides the
    inferred precision for non-missing entries (a month or year precision moves the date
    to the start of the period); its values must be one of :data:`PRECISIONS`.
    ``date_error`` holds a message for values that could not be parsed (missing values are
    not errors: they get precision ``"unknown"`` and no message).
    """
    if precision is not None:
        given = precision.dropna().astype(str).str.strip().str.lower()
        bad = sorted(set(given) - set(PRECISIONS))
        if bad:
            raise ValueError(f"date_precision values {bad} are not among {list(PRECISIONS)}")
    parsed = [parse_date(v, bool(dayfirst), date_format) for v in values.tolist()]
    out = pd.DataFrame(
        {
            "date": pd.to_datetime(pd.Series([p[0] for p in parsed], index=values.index, dtype=object)).astype(
                "datetime64[ns]"
            ),
            "date_precision": [p[1] for p in parsed],
            "date_error": [p[2] for p in parsed],
        },
        index=values.index,
    )
    if precision is not None:
        given = pd.Series([None if pd.isna(v) else str(v).strip().lower() for v in precision], index=values.index)
        override = given.notna() & out["date"].notna()
        out.loc[override, "date_precision"] = given[override]
        # A date given as month or year precision stands for the start of that period.
        for level, freq in (("month", "M"), ("year", "Y")):
            rows = override & (given == level)
            if rows.any():
                out.loc[rows, "date"] = out.loc[rows, "date"].dt.to_period(freq).dt.start_time
    return out


_LONG = {"day": "{day} %B %Y", "month": "%B %Y", "year": "%Y", "quarter": None, "week": None}  # {day}: no zero
_ISO = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y", "quarter": None, "week": None}


def format_date(value, precision: str | None = "day", style: str = "long") -> str:
    """A date written at its precision: never a day the source did not give.

    ``style="long"`` for prose ("28 March 2025", "March 2025", "2025"), ``"iso"`` for tables
    ("2025-03-28", "2025-03", "2025"). ``precision`` is one of :data:`PRECISIONS` (or "quarter" or
    "week", the length of a period: "Q1 2025", "week 10 of 2025"); a missing precision counts as "day",
    "unknown" with a date as "day" too (the date is all there is). Missing dates give "".

    >>> format_date(pd.Timestamp("2025-03-01"), "month"), format_date("2025-03-28"), format_date(None)
    ('March 2025', '28 March 2025', '')
    >>> format_date(pd.Timestamp("2025-03-01"), "month", style="iso"), format_date("2025-04-01", "quarter")
    ('2025-03', 'Q2 2025')
    >>> format_date("2025-03-01", "hour")
    Traceback (most recent call last):
    ...
    ValueError: precision must be one of ['day', 'month', 'year', 'unknown', 'quarter', 'week'], got 'hour'
    """
    if style not in ("long", "iso"):
        raise ValueError(f"style must be 'long' or 'iso', got {style!r}")
    if precision is None or (not isinstance(precision, str) and pd.isna(precision)) or precision == "unknown":
        precision = "day"
    if precision not in _LONG:
        raise ValueError(f"precision must be one of {[*PRECISIONS, 'quarter', 'week']}, got {precision!r}")
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return ""
    ts = pd.Timestamp(value)
    if precision == "quarter":
        return f"Q{ts.quarter} {ts.year}" if style == "long" else f"{ts.year}Q{ts.quarter}"
    if precision == "week":
        year, week, _ = ts.isocalendar()
        return f"week {week} of {year}" if style == "long" else f"{year}-W{week:02d}"
    return ts.strftime((_LONG if style == "long" else _ISO)[precision]).replace("{day}", str(ts.day))


def format_dates(dates: pd.Series, precisions: pd.Series | None = None, style: str = "long") -> pd.Series:
    """:func:`format_date` over a column (``precisions`` aligned to it; None: every date to the day).

    >>> format_dates(pd.Series(pd.to_datetime(["2025-03-13", "2025-03-01", None])),
    ...              pd.Series(["day", "month", "unknown"]), style="iso").tolist()
    ['2025-03-13', '2025-03', '']
    """
    if precisions is None:
        precisions = pd.Series("day", index=dates.index)
    return pd.Series([format_date(d, p, style) for d, p in zip(dates, precisions)], index=dates.index, dtype=object)
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?!\d)")


def ambiguous_dates(values: pd.Series, dates: pd.Series, dayfirst: bool | None = None,
                    date_format: str | None = None) -> list[tuple[object, str, str]]:
    """Numeric dates whose day and month could be swapped, as ``(index, level, message)``.

    A value such as ``03/04/2025`` reads as 4 March month first and 3 April day first. The rule
    used is month first unless ``dayfirst=True``; ``date_format`` settles every value (nothing
    is reported). A value is reported as a ``warning`` when the same column holds a value that
    only the other order can read (``13/04/2025``: the column is probably day-first), or that
    contradicts a rule given explicitly; as ``info`` when the rule is the default and nothing
    in the column says otherwise. ``dates`` are the parsed values, shown in the messages.

    >>> values = pd.Series(["03/04/2025", "13/04/2025"])
    >>> [m for _, _, m in ambiguous_dates(values, parse_dates(values)["date"])]  # doctest: +NORMALIZE_WHITESPACE
    ["'03/04/2025' could be day or month first: read month first as 2025-03-04, but '13/04/2025' in the
      same column can only be day first"]
    """
    if date_format:
        return []
    rows = []
    for idx, value in values.items():
        m = _NUMERIC_DATE.match(value) if isinstance(value, str) else None
        if m:
            rows.append((idx, value, int(m.group(1)), int(m.group(2))))
    if not rows:
        return []
    day_only = next((v for _, v, a, b in rows if a > 12 and 1 <= b <= 12), None)
    month_only = next((v for _, v, a, b in rows if b > 12 and 1 <= a <= 12), None)
    rule, other = ("day first", "month first") if dayfirst else ("month first", "day first")
    against = month_only if dayfirst else day_only
    out = []
    for idx, value, a, b in rows:
        read = dates.get(idx)
        shown = "NaT" if read is None or pd.isna(read) else read.date().isoformat()
        if a <= 12 and b <= 12 and a != b:
            if against is not None:
                detail = (f"{value!r} could be day or month first: read {rule} as {shown}, "
                          f"but {against!r} in the same column can only be {other}")
                out.append((idx, "warning", detail))
            elif dayfirst is None:
                out.append((idx, "info", f"{value!r} could be day or month first: read {rule} (the default) as {shown}"))
        elif dayfirst is not None and ((dayfirst and b > 12 and a <= 12) or (not dayfirst and a > 12 and b <= 12)):
            out.append((idx, "warning", f"{value!r} can only be {other}: read as {shown}, against dayfirst={dayfirst}"))
    return out

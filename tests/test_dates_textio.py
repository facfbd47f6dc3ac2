"""Tests for diplomacy_lab.loading.dates (parse_date/parse_dates) and diplomacy_lab.loading.textio (decode_bytes)."""

from __future__ import annotations

import codecs

import pandas as pd
import pytest

from diplomacy_lab.loading.dates import parse_date, parse_dates
from diplomacy_lab.loading.textio import DecodeError, decode_bytes, looks_binary, normalize_newlines

# --- dates -----------------------------------------------------------------------------------------


def test_parse_date_value_and_precision():
    cases = {
        "2025-03-13": ("2025-03-13", "day"),
        "March 2025": ("2025-03-01", "month"),
        "Mar. 2025": ("2025-03-01", "month"),
        "2025-03": ("2025-03-01", "month"),
        "2025": ("2025-01-01", "year"),
        2025: ("2025-01-01", "year"),
        "Jan. 9, 2026": ("2026-01-09", "day"),
        "13 March 2025": ("2025-03-13", "day"),
    }
    for value, (date, precision) in cases.items():
        assert parse_date(value) == (pd.Timestamp(date), precision, None), value


def test_missing_date_is_unknown_without_error():
    for value in ("", "   ", None, float("nan")):
        ts, precision, error = parse_date(value)
        assert pd.isna(ts) and precision == "unknown" and error is None, value


def test_date_without_year_is_an_error_never_today():
    for value in ("Thursday", "13 March"):
        ts, precision, error = parse_date(value)
        assert pd.isna(ts) and precision == "unknown", value
        assert error == f"{value!r} has no four-digit year; pass date_format=..."


def test_invalid_dates_are_errors():
    ts, precision, error = parse_date("2025-13-01")
    assert pd.isna(ts) and precision == "unknown"
    assert error.startswith("'2025-13-01' is not a date")
    assert parse_date("Foo 2025")[2] == "'Foo 2025': 'foo' is not a month name"
    assert parse_date(12.5)[2] == "12.5 is a number, not a date"


def test_timezone_aware_becomes_naive_utc():
    ts, precision, error = parse_date("2025-03-13T23:30:00-02:00")
    assert ts == pd.Timestamp("2025-03-14 01:30:00") and ts.tzinfo is None
    assert (precision, error) == ("day", None)
    ts, precision, _ = parse_date(pd.Timestamp("2025-03-13 09:30", tz="Europe/Rome"))
    assert ts == pd.Timestamp("2025-03-13 08:30") and ts.tzinfo is None and precision == "day"


def test_dayfirst_reads_day_before_month():
    assert parse_date("03/04/2025")[0] == pd.Timestamp("2025-03-04")
    assert parse_date("03/04/2025", dayfirst=True)[0] == pd.Timestamp("2025-04-03")


def test_date_format_and_its_precision():
    assert parse_date("13.03.2025", date_format="%d.%m.%Y") == (pd.Timestamp("2025-03-13"), "day", None)
    assert parse_date("03/2025", date_format="%m/%Y") == (pd.Timestamp("2025-03-01"), "month", None)
    assert parse_date("2025-03-13", date_format="%d.%m.%Y")[2] is not None


def test_parse_dates_columns_and_index():
    values = pd.Series(["2025-03-13", "March 2025", "", "soon"], index=[10, 11, 12, 13])
    out = parse_dates(values)
    assert out.columns.tolist() == ["date", "date_precision", "date_error"]
    assert out.index.tolist() == [10, 11, 12, 13]
    assert str(out["date"].dtype) == "datetime64[ns]"
    assert out["date_precision"].tolist() == ["day", "month", "unknown", "unknown"]
    assert out["date_error"].isna().tolist() == [True, True, True, False]
    assert out.loc[13, "date_error"] == "'soon' has no four-digit year; pass date_format=..."


def test_parse_dates_given_precision_overrides_when_date_present():
    out = parse_dates(pd.Series(["2025-03-13", "2025", ""]), precision=pd.Series([" Month", None, "day"]))
    assert out["date_precision"].tolist() == ["month", "year", "unknown"]


def test_parse_dates_bad_precision_raises():
    with pytest.raises(ValueError, match=r"\['weekly'\] are not among"):
        parse_dates(pd.Series(["2025-03-13"]), precision=pd.Series(["weekly"]))


# --- textio ----------------------------------------------------------------------------------------


def test_utf8_bom_stripped():
    decoded = decode_bytes(codecs.BOM_UTF8 + "Kyiv – Rome".encode("utf-8"))
    assert (decoded.text, decoded.encoding) == ("Kyiv – Rome", "utf-8-sig")


def test_utf16_with_bom():
    boms = {"utf-16": b"", "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}
    for codec, bom in boms.items():
        decoded = decode_bytes(bom + "Zelensky’s visit\r\nto Rome".encode(codec))
        assert (decoded.text, decoded.encoding) == ("Zelensky’s visit\nto Rome", "utf-16"), codec


def test_plain_utf8():
    assert decode_bytes("Meloni’s “no”".encode("utf-8")) == decode_bytes(b"Meloni\xe2\x80\x99s \xe2\x80\x9cno\xe2\x80\x9d")
    assert decode_bytes("Meloni’s “no”".encode("utf-8")).encoding == "utf-8"


def test_cp1252_smart_quotes():
    decoded = decode_bytes(b"\x93Italy says no\x94 \x96 Meloni\x92s view")
    assert (decoded.text, decoded.encoding) == ("“Italy says no” – Meloni’s view", "cp1252")


def test_latin1_last_resort():
    decoded = decode_bytes(b"caf\xe9 \x81")  # 0x81 is not a cp1252 byte
    assert (decoded.text, decoded.encoding) == ("café \x81", "latin-1")


def test_nul_bytes_are_binary():
    with pytest.raises(DecodeError) as info:
        decode_bytes(b"%PDF-1.4\x00\x01\x02")
    assert info.value.reason == "binary"
    assert looks_binary(b"abc\x00") and not looks_binary(b"") and not looks_binary(b"plain text")


def test_forced_wrong_encoding_is_undecodable():
    with pytest.raises(DecodeError) as info:
        decode_bytes(b"\x93quoted\x94", "utf-8")
    assert info.value.reason == "undecodable"
    assert "pass encoding=" in str(info.value)


def test_crlf_and_cr_become_newline():
    assert decode_bytes(b"one\r\ntwo\rthree\nfour\r").text == "one\ntwo\nthree\nfour\n"
    assert normalize_newlines("a\r\r\nb") == "a\n\nb"

"""Languages: every language has every English string, with the same placeholders; numbers and dates."""

import datetime
import string

import pytest

from ecosys.i18n import LANGUAGES, language


def _keys(strings, prefix=""):
    out = {}
    for k, v in strings.items():
        if isinstance(v, dict):
            out.update(_keys(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def _placeholders(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_english_and_italian_are_spoken():
    assert LANGUAGES[:2] == ("en", "it")


@pytest.mark.parametrize("code", [c for c in LANGUAGES if c != "en"])
def test_every_language_has_every_english_string_with_the_same_placeholders(code):
    english, other = _keys(language("en").strings), _keys(language(code).strings)
    assert sorted(set(english) - set(other)) == [], f"{code} lacks these strings"
    assert sorted(set(other) - set(english)) == [], f"{code} has strings English lacks"
    for key, text in english.items():
        assert _placeholders(other[key]) == _placeholders(text), key
        assert other[key].strip(), key


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_string_is_filled(code):
    assert all(text.strip() for text in _keys(language(code).strings).values())


@pytest.mark.parametrize(
    "code, value, spec, expected",
    [
        ("it", 12326, ",d", "12.326"),
        ("en", 12326, ",d", "12,326"),
        ("it", 0.72712, ".3f", "0,727"),
        ("it", -1234.5, ",.1f", "-1.234,5"),
        ("it", 1234567, ",d", "1.234.567"),
        ("it", 0.00012, ".2g", "0,00012"),
        ("en", 999.6, ",d", "1,000"),
    ],
)
def test_numbers(code, value, spec, expected):
    assert language(code).number(value, spec) == expected


def test_percent_and_dates():
    it, en = language("it"), language("en")
    assert it.percent(0.62) == "62%" and it.percent(0.625, 1) == "62,5%" and en.percent(0.625, 1) == "62.5%"
    assert it.date("2021-03-12") == "12/03/2021" and it.date(datetime.date(2014, 1, 1)) == "01/01/2014"
    assert en.date("2021-03-12T10:00:00") == "2021-03-12"
    assert it.date("not a date") == "not a date"


def test_text_fills_placeholders_and_falls_back_to_english_only_for_missing_keys():
    it = language("it")
    assert it.text("metrics.constraint.name") == "Vincoli di Burt"
    with pytest.raises(KeyError):
        it.text("metrics.no_such_metric.name")
    with pytest.raises(ValueError, match="ecosys speaks en"):
        language("xx")

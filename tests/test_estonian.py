"""Estonian phrasing: annex ranges (properties), lists, dates in every month."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaskkiri_builder.estonian import (
    annex_ranges,
    annex_runs,
    capitalize_first,
    date_in_words,
    format_date,
    join_list,
    lower_first,
    parse_annex_ranges,
    parse_date,
    plural,
)

annex_sets = st.sets(st.integers(min_value=1, max_value=60), min_size=1, max_size=40)
styles = st.sampled_from(["kuni", "sidekriips"])


def _groups(text: str) -> list[str]:
    return re.split(r", | ja ", text)


def _bounds(group: str) -> tuple[int, int]:
    nums = [int(x) for x in re.findall(r"\d+", group)]
    return nums[0], nums[-1]


# --- annex ranges: properties ------------------------------------------------------------------


@given(annex_sets, styles)
def test_parse_inverts_render(numbers, style):
    assert parse_annex_ranges(annex_ranges(numbers, style)) == numbers


@given(annex_sets, styles)
def test_every_number_appears_exactly_once(numbers, style):
    covered: list[int] = []
    for group in _groups(annex_ranges(numbers, style)):
        a, b = _bounds(group)
        covered.extend(range(a, b + 1))
    assert sorted(covered) == sorted(numbers)


@given(annex_sets, styles)
def test_ranges_are_maximal_and_ascending(numbers, style):
    bounds = [_bounds(g) for g in _groups(annex_ranges(numbers, style))]
    for (_, end), (start, _) in zip(bounds, bounds[1:], strict=False):
        assert start > end + 1  # a gap: the two groups could not be merged


@given(annex_sets, styles)
def test_shape_of_groups(numbers, style):
    text = annex_ranges(numbers, style)
    word = " kuni " if style == "kuni" else "-"
    for group in _groups(text):
        a, b = _bounds(group)
        assert group == (str(a) if a == b else f"{a}{word}{b}")
    if len(annex_runs(numbers)) > 1:
        assert text.count(" ja ") == 1 and ", ja " not in text


@given(annex_sets)
def test_duplicates_and_order_do_not_matter(numbers):
    as_list = sorted(numbers, reverse=True) * 2
    assert annex_ranges(as_list) == annex_ranges(numbers)


# --- annex ranges: examples -------------------------------------------------------------------


def test_reference_ranges():
    assert annex_ranges([1, 2, 4, 7, 8, 9, 10], "kuni") == "1 kuni 2, 4 ja 7 kuni 10"
    assert annex_ranges(range(1, 12), "sidekriips") == "1-11"
    assert annex_ranges([1, 2, 4, 7, 8, 9, 10], "sidekriips") == "1-2, 4 ja 7-10"
    assert annex_ranges([3], "kuni") == "3"
    assert annex_ranges([], "kuni") == ""


def test_parse_examples():
    assert parse_annex_ranges("1 kuni 2, 4 ja 7 kuni 10") == {1, 2, 4, 7, 8, 9, 10}
    assert parse_annex_ranges("1–3 ning 5") == {1, 2, 3, 5}
    assert parse_annex_ranges("  ") == set()


@pytest.mark.parametrize("bad", ["1 kuni", "a", "3 kuni 1", "1,,2", "0"])
def test_parse_rejects(bad):
    with pytest.raises(ValueError, match="Lisade"):
        parse_annex_ranges(bad)


@pytest.mark.parametrize("bad", [[0], [-1, 2], [True]])
def test_render_rejects_non_positive(bad):
    with pytest.raises(ValueError):
        annex_ranges(bad, "kuni")


def test_unknown_style():
    with pytest.raises(ValueError):
        annex_ranges([1], "dash")  # type: ignore[arg-type]


# --- lists ------------------------------------------------------------------------------------


def test_join_list():
    assert join_list([]) == ""
    assert join_list(["a"]) == "a"
    assert join_list(["a", "b"]) == "a ja b"
    assert join_list(["a", "b", "c"]) == "a, b ja c"
    assert join_list(iter(["a", "b", "c"]), last="ning") == "a, b ning c"


# --- dates ------------------------------------------------------------------------------------

# Written out in full, month by month, as the domain notes list them (not derived from the code's
# table): "2026. aasta 1. jaanuaril" (on) and "... 1. jaanuarist" (from); "mai" is the odd one.
MONTHS = [
    (date(2026, 1, 1), "2026. aasta 1. jaanuaril", "2026. aasta 1. jaanuarist"),
    (date(2026, 2, 28), "2026. aasta 28. veebruaril", "2026. aasta 28. veebruarist"),
    (date(2025, 3, 15), "2025. aasta 15. märtsil", "2025. aasta 15. märtsist"),
    (date(2026, 4, 30), "2026. aasta 30. aprillil", "2026. aasta 30. aprillist"),
    (date(2026, 5, 1), "2026. aasta 1. mail", "2026. aasta 1. maist"),
    (date(2024, 6, 9), "2024. aasta 9. juunil", "2024. aasta 9. juunist"),
    (date(2026, 7, 1), "2026. aasta 1. juulil", "2026. aasta 1. juulist"),
    (date(2026, 8, 20), "2026. aasta 20. augustil", "2026. aasta 20. augustist"),
    (date(2026, 9, 1), "2026. aasta 1. septembril", "2026. aasta 1. septembrist"),
    (date(2027, 10, 10), "2027. aasta 10. oktoobril", "2027. aasta 10. oktoobrist"),
    (date(2026, 11, 2), "2026. aasta 2. novembril", "2026. aasta 2. novembrist"),
    (date(2026, 12, 31), "2026. aasta 31. detsembril", "2026. aasta 31. detsembrist"),
]


@pytest.mark.parametrize("day, on, from_", MONTHS, ids=[d.strftime("%m") for d, _, _ in MONTHS])
def test_date_in_words_every_month(day, on, from_):
    assert date_in_words(day, "adessive") == on
    assert date_in_words(day, "elative") == from_


def test_date_in_words_reference():
    assert date_in_words(date(2026, 1, 1), "elative") == "2026. aasta 1. jaanuarist"
    assert date_in_words(date(2025, 1, 1), "adessive") == "2025. aasta 1. jaanuaril"
    assert date_in_words(date(2025, 5, 31), "adessive") == "2025. aasta 31. mail"
    with pytest.raises(ValueError):
        date_in_words(date(2025, 1, 1), "genitive")  # type: ignore[arg-type]


def test_format_and_parse_date():
    assert format_date(date(2026, 1, 7)) == "07.01.2026"
    assert parse_date("07.01.2026") == date(2026, 1, 7)
    assert parse_date(" 23.12.2024 ") == date(2024, 12, 23)
    assert parse_date(date(2024, 12, 23)) == date(2024, 12, 23)


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_parse_inverts_format_date(d):
    assert parse_date(format_date(d)) == d


@pytest.mark.parametrize("bad", ["2026-01-07", "7.1.2026", "07.01.26", "", "07.01.2026."])
def test_parse_date_rejects_other_forms(bad):
    with pytest.raises(ValueError, match="pp.kk.aaaa"):
        parse_date(bad)


def test_parse_date_rejects_impossible_date():
    with pytest.raises(ValueError, match="kalendris"):
        parse_date("30.02.2026")


# --- letters and numbers ----------------------------------------------------------------------


def test_capitalisation():
    assert capitalize_first("juhtivspetsialist (PSK)") == "Juhtivspetsialist (PSK)"
    assert capitalize_first("õigus") == "Õigus"
    assert capitalize_first("") == ""
    assert lower_first("Koordinaator (PEA koolitused)") == "koordinaator (PEA koolitused)"
    assert lower_first("") == ""


def test_plural():
    assert plural(1, "ametijuhend", "ametijuhendid") == "ametijuhend"
    assert plural(2, "ametijuhend", "ametijuhendid") == "ametijuhendid"
    assert plural(0, "lisa", "lisad") == "lisad"

"""Word-level comparison behind the drift messages: what counts as a near miss or a slip."""

from __future__ import annotations

from kaskkiri_builder.checks.textdiff import describe, near_miss, slip


def test_near_miss_is_a_few_words():
    a = "Regulaarne osalemine ameti pakutud supervisoonides ja/või kovisioonides."
    b = "Regulaarne osalemine ameti pakutud supervisioonides ja/või kovisioonides."
    assert near_miss(a, b) and slip(a, b)
    assert not near_miss(a, a)  # identical: nothing to report


def test_different_duties_are_not_near_misses():
    assert not near_miss("Ennetus- ja teavitustegevustes osalemine.", "Ennetus- ja teavitustegevuste korraldamine.")
    assert not near_miss(
        "Muude pädevusvaldkonda kuuluvate tegevuste korraldamine.",
        "Muude pädevusvaldkonda kuuluvate tegevuste korraldamine ja uuenduste algatamine.",
    )


def test_slip_or_rewording():
    assert slip("tööülesannete tulemuslik täitmine eest", "tööülesannete tulemusliku täitmise eest")
    assert slip("a (PSK) b", "a (PSK), b")
    assert not slip("kuhu juhil on õigus teda suunata.", "kuhu juhil on õigus töötajat suunata.")


def test_describe_names_a_missing_mark_and_case():
    assert describe("määratakse töölepingus", "määratakse töölepingus.") == (
        'puudub punkt: siin "määratakse töölepingus", peaks olema "määratakse töölepingus."'
    )
    assert describe("a b c", "a b, c", here="tekstis", there="koostatuna").startswith("puudub koma: tekstis")
    assert describe("nõustajad", "Nõustajad").startswith("erineb suur- ja väiketäht:")


def test_describe_counts_what_it_does_not_quote():
    a = "a1 b2 c3 d4 e5 f6 g7 h8 i9 j10 k11 l12 m13 n14 o15 p16"
    b = "a1 X c3 d4 e5 f6 Y h8 i9 j10 k11 Z m13 n14 o15 W"
    assert describe(a, b, limit=2).endswith("ja veel 2 erinevust")

"""The numbering check: within one register series and year numbers rise with dates, nothing more."""

from __future__ import annotations

from datetime import date

from kaskkiri_builder.definitions.load import Source
from kaskkiri_builder.definitions.model import LedgerDirective
from kaskkiri_builder.history import sequence_warnings

LEDGER = "definitions/ajalugu.yaml"


def ledger(*entries: tuple[str | int, str]) -> list[LedgerDirective]:
    """Entries (number, "dd.mm.yyyy"), the n-th on line 10 * n of the ledger file."""
    out = []
    for n, (number, day) in enumerate(entries, start=1):
        dd, mm, yyyy = (int(p) for p in day.split("."))
        out.append(LedgerDirective(number=str(number), date=date(yyyy, mm, dd), source=Source(LEDGER, 10 * n)))
    return out


def only_warning(*entries: tuple[str | int, str]) -> tuple[str, Source | None]:
    (warning,) = sequence_warnings(ledger(*entries))
    return warning


def test_a_busy_january_and_a_quiet_year_is_no_alarm():
    """The false alarm of the rate-based rule: nr 150 on 10.12 after nr 9 in January is fine."""
    assert sequence_warnings(ledger((2, "03.01.2025"), (5, "08.01.2025"), (9, "14.01.2025"), (150, "10.12.2025"))) == []


def test_busy_and_quiet_months_are_no_alarm():
    february = [(n, f"{n * 28 // 60 + 1:02d}.02.2025") for n in range(1, 60)]  # 59 in one month
    assert sequence_warnings(ledger(*february, (60, "03.09.2025"), (61, "30.12.2025"))) == []
    assert sequence_warnings(ledger((1, "02.01.2025"), (2, "30.11.2025"), (3, "01.12.2025"))) == []


def test_numbering_restarts_each_year():
    assert sequence_warnings(ledger((190, "20.12.2025"), (1, "05.01.2026"), (2, "07.01.2026"))) == []
    # within one year the same pair is a contradiction
    message, at = only_warning((190, "20.12.2025"), (1, "30.12.2025"))
    assert "nr 1 (30.12.2025) on dateeritud hiljem kui suurema numbriga nr 190 (20.12.2025" in message
    assert at == Source(LEDGER, 20)


def test_register_indices_run_within_their_series():
    # natural order: 1-1/12 follows 1-1/5 (as text it would sort first)
    assert sequence_warnings(ledger(("1-1/5", "10.02.2025"), ("1-1/12", "01.03.2025"))) == []
    # another series is not compared: 1-2/3 may be dated before 1-1/12
    assert sequence_warnings(ledger(("1-1/12", "01.03.2025"), ("1-2/3", "01.01.2025"))) == []
    message, _ = only_warning(("1-1/5", "10.02.2025"), ("1-1/12", "01.02.2025"), ("1-2/99", "05.01.2025"))
    assert "nr 1-1/12 (01.02.2025) on dateeritud varem kui väiksema numbriga nr 1-1/5 (10.02.2025" in message


def test_leading_zeros_count_as_the_number():
    assert sequence_warnings(ledger(("007", "01.03.2025"), ("08", "03.03.2025"), ("010", "05.03.2025"))) == []
    message, at = only_warning(("007", "01.03.2025"), ("009", "01.02.2025"), ("010", "05.03.2025"))
    assert "nr 009 (01.02.2025)" in message and "väiksema numbriga nr 007 (01.03.2025" in message
    assert at == Source(LEDGER, 20)


def test_same_day_directives_in_any_order_are_fine():
    assert sequence_warnings(ledger((11, "05.03.2025"), (10, "05.03.2025"), (12, "05.03.2025"))) == []


def test_a_higher_number_dated_before_a_lower_one_names_both():
    message, at = only_warning((12, "10.03.2025"), (9, "20.03.2025"))
    assert message.startswith(
        "Käskkiri nr 9 (20.03.2025) on dateeritud hiljem kui suurema numbriga "
        f"nr 12 (10.03.2025, {LEDGER}:10): "
    )
    assert "Kontrolli mõlema käskkirja kuupäeva ja numbrit" in message
    assert at == Source(LEDGER, 20)  # of two, the one listed (recorded) last
    message, at = only_warning((9, "20.03.2025"), (12, "10.03.2025"))
    assert message.startswith(f"Käskkiri nr 12 (10.03.2025) on dateeritud varem kui väiksema numbriga nr 9 (20.03.2025, {LEDGER}:10): ")
    assert at == Source(LEDGER, 20)


def test_one_typo_is_one_warning_however_many_entries_it_contradicts():
    """nr 80 dated in November among nr 81..99 of May to October: nr 80 alone is reported."""
    entries = [(80 + k, f"{k % 28 + 1:02d}.{5 + k // 4:02d}.2025") for k in range(1, 20)]
    message, at = only_warning((79, "30.04.2025"), (80, "14.11.2025"), *entries)
    assert "Käskkiri nr 80 (14.11.2025) on dateeritud hiljem kui suurema numbriga nr 81" in message
    assert at == Source(LEDGER, 20)


def test_a_mistyped_month_digit_is_suggested():
    message, at = only_warning((19, "10.04.2025"), (20, "10.04.2025"), (21, "15.02.2025"), (22, "20.04.2025"))
    assert "nr 21 (15.02.2025) on dateeritud varem kui väiksema numbriga nr 20 (10.04.2025" in message
    assert message.endswith("; kas nr 21 kuupäev on 15.04.2025?")
    assert at == Source(LEDGER, 30)


def test_swapped_month_digits_are_suggested():
    message, _ = only_warning((4, "02.01.2025"), (5, "03.01.2025"), (6, "08.10.2025"), (7, "15.01.2025"), (8, "20.01.2025"))
    assert "nr 6 (08.10.2025) on dateeritud hiljem kui suurema numbriga nr 7 (15.01.2025" in message
    assert message.endswith("; kas nr 6 kuupäev on 08.01.2025?")


def test_the_same_day_in_another_month_is_suggested_when_nothing_closer_fits():
    message, _ = only_warning((40, "01.05.2025"), (60, "14.11.2025"), (70, "01.06.2025"), (80, "01.07.2025"))
    assert message.endswith("; kas nr 60 kuupäev on 14.05.2025?")


def test_no_suggestion_when_many_dates_would_fit():
    message, _ = only_warning((9, "20.03.2025"), (12, "10.03.2025"))
    assert message.endswith("numbrit.") and "; kas " not in message


def test_numbers_without_a_running_part_are_not_compared():
    assert sequence_warnings(ledger(("12-A", "01.03.2025"), ("3", "05.03.2025"), ("0", "01.01.2025"))) == []

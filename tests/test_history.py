"""The ledger, what is in force, point 2 of the reference, validation and recording."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from kaskkiri_builder.history import (
    LedgerDirective,
    RecordRefused,
    Revocation,
    in_force,
    ledger_from_data,
    number_key,
    parse_revocation,
    phrase_revocation,
    record,
    record_refusals,
    revocation_phrase_for,
    revocations_for,
    revocations_of,
    sequence_warnings,
    validate_ledger,
)
from toolkit import REFERENCE, ROOT

# The posts of directive 2026-01, Lisa 1 .. Lisa 11 (one place to rename them).
POSTS_2026 = [
    "talituse-juhataja",
    "juhtivspetsialist-psk",
    "ekspert-vaimne-heaolu",
    "ekspert-suurkriisid",
    "ekspert-pea-koolitused",
    "koordinaator-pea-koolitused",
    "peaspetsialist-kriisitugi",
    "juhtivspetsialist-oa-kriisitelefon",
    "noustaja-9",
    "noustaja-10",
    "noustaja-11",
]
ABOLISHED_2026 = ["spetsialist-pea-koolitused", "projektijuht-suurkriisid"]
STILL_IN_FORCE = ["teenuseomanik-psk", "teenuseomanik-ohvriabi-kriisitelefon"]
KNOWN_POSTS = set(POSTS_2026) | set(ABOLISHED_2026) | set(STILL_IN_FORCE)

REFERENCE_PHRASE = (
    "peadirektori 23.12.2024 käskkirja nr 192 lisad 1 kuni 2, 4 ja 7 kuni 10 ning "
    "peadirektori 06.02.2025 käskkirjaga nr 19, 28.04.2025 käskkirjaga nr 67, 28.04.2025 "
    "käskkirjaga nr 68, 14.11.2025 käskkirjaga nr 80 ja 26.11.2025 käskkirjaga nr 182 "
    "kinnitatud ametijuhendid"
)


def d(day: str) -> date:
    dd, mm, yyyy = day.split(".")
    return date(int(yyyy), int(mm), int(dd))


def directive(number, day, annexes=None, *, single=None, revokes=(), id=None, title=""):
    if isinstance(annexes, list):
        annexes = {i + 1: p for i, p in enumerate(annexes)}
    return LedgerDirective(
        id=id,
        number=str(number),
        date=d(day),
        title=title,
        annexes=annexes or {},
        single_post=single,
        revokes=tuple(revokes),
    )


def reference_ledger(*, with_2026: bool = True) -> tuple[LedgerDirective, ...]:
    """The reconstructed history behind the reference (same as definitions/ajalugu.yaml)."""
    p = POSTS_2026
    ledger = [
        directive(
            192,
            "23.12.2024",
            [p[0], p[1], p[2], p[3], *STILL_IN_FORCE, p[6], p[7], p[8], p[9]],
        ),
        directive(
            19,
            "06.02.2025",
            [p[2]],
            revokes=[Revocation(number="192", date=d("23.12.2024"), annexes=frozenset({3}))],
        ),
        directive(67, "28.04.2025", [p[5]]),
        directive(68, "28.04.2025", [ABOLISHED_2026[0]]),
        directive(80, "14.11.2025", [ABOLISHED_2026[1]]),
        directive(182, "26.11.2025", [p[10]]),
    ]
    if with_2026:
        groups = revocations_for(ledger, POSTS_2026, ABOLISHED_2026)
        ledger.append(
            directive(1, "07.01.2026", POSTS_2026, id="2026-01", revokes=revocations_of(groups))
        )
    return tuple(ledger)


def point2_of_2026(ledger) -> str | None:
    groups = revocations_for(
        ledger, POSTS_2026, ABOLISHED_2026, before=(d("07.01.2026"), "1")
    )
    return phrase_revocation(groups)


# --- the reference ----------------------------------------------------------------------------


def test_reference_point_2_exactly():
    phrase = point2_of_2026(reference_ledger())
    assert phrase == REFERENCE_PHRASE
    published = re.sub(r"\s+", " ", REFERENCE.read_text(encoding="utf-8"))
    assert f"2. Tunnistan kehtetuks {phrase}." in published


def test_reference_from_the_ledger_file():
    path = ROOT / "definitions" / "ajalugu.yaml"
    data = YAML().load(path.read_text(encoding="utf-8"))
    ledger, problems = ledger_from_data(data, "definitions/ajalugu.yaml")
    assert problems == []
    assert validate_ledger(ledger, KNOWN_POSTS) == []
    newest = ledger[-1]
    assert newest.id == "2026-01" and list(newest.annexes.values()) == POSTS_2026
    assert point2_of_2026(ledger) == REFERENCE_PHRASE
    # what 2026-01 recorded as its point 2 is what the ledger computes for it
    groups = revocations_for(ledger, POSTS_2026, ABOLISHED_2026, before=(newest.date, "1"))
    assert set(revocations_of(groups)) == set(newest.revokes)
    # the numbers rise with the dates (nr 80 of 14.11.2025 sits between nr 68 of 28.04.2025 and
    # nr 182 of 26.11.2025: a quiet then a busy stretch, not a contradiction)
    assert sequence_warnings(ledger) == []


def test_rebuilding_a_recorded_directive_gives_the_signed_text():
    ledger = reference_ledger()
    later = directive(5, "20.02.2026", [POSTS_2026[0], POSTS_2026[8]], id="2026-05")
    ledger = record(ledger, later)
    assert point2_of_2026(ledger) == REFERENCE_PHRASE
    # and the later directive revokes the 2026-01 annexes, not 192's again
    groups = revocations_for(ledger, later.annexes.values(), before=(later.date, "5"))
    assert phrase_revocation(groups) == "peadirektori 07.01.2026 käskkirja nr 1 lisad 1 ja 9"


def test_in_force_after_2026():
    current = in_force(reference_ledger())
    assert set(current) == set(POSTS_2026) | set(STILL_IN_FORCE)
    assert all(current[p].directive.number == "1" for p in POSTS_2026)
    assert current["teenuseomanik-psk"].annex == 5


def test_in_force_before_and_on():
    ledger = reference_ledger()
    before = in_force(ledger, before=(d("07.01.2026"), "1"))
    assert before["ekspert-vaimne-heaolu"].directive.number == "19"
    assert set(ABOLISHED_2026) <= set(before)
    on = in_force(ledger, on=d("28.04.2025"))
    assert "koordinaator-pea-koolitused" in on and "projektijuht-suurkriisid" not in on
    # same date: replayed in number order; natural order of numbers
    assert in_force(ledger, before=(d("28.04.2025"), "68")).keys() >= {"koordinaator-pea-koolitused"}
    assert "spetsialist-pea-koolitused" not in in_force(ledger, before=(d("28.04.2025"), "68"))
    assert number_key("9") < number_key("10") < number_key("10a")


# --- forms ------------------------------------------------------------------------------------


def test_singular_comitative_and_single_annex():
    ledger = [
        directive(192, "23.12.2024", ["a", "b", "c"]),
        directive(19, "06.02.2025", ["d"]),
    ]
    groups = revocations_for(ledger, ["c", "d"])
    assert phrase_revocation(groups) == (
        "peadirektori 23.12.2024 käskkirja nr 192 lisa 3 ning "
        "peadirektori 06.02.2025 käskkirjaga nr 19 kinnitatud ametijuhend"
    )


def test_one_directive_with_several_annexes_all_revoked():
    ledger = [directive(19, "06.02.2025", ["a", "b"])]
    assert phrase_revocation(revocations_for(ledger, ["a", "b"])) == (
        "peadirektori 06.02.2025 käskkirjaga nr 19 kinnitatud ametijuhendid"
    )


def test_title_form_for_a_single_job_description_without_annexes():
    ledger = [
        directive(77, "18.05.2025", single="a", title="Ametijuhendi kinnitamine"),
        directive(78, "19.05.2025", single="b"),  # the default title
    ]
    assert phrase_revocation(revocations_for(ledger, ["a", "b"])) == (
        'peadirektori 18.05.2025 käskkirja nr 77 "Ametijuhendi kinnitamine" ja '
        '19.05.2025 käskkirja nr 78 "Ametijuhendi kinnitamine"'
    )


def test_directives_cited_by_title_are_grouped():
    """The issuer once, items with commas and "ja" before the last (the reference's rule)."""
    ledger = [
        directive(5, "01.02.2023", single="a"),
        directive(9, "03.03.2023", single="b"),
        directive(12, "04.04.2023", single="c"),
    ]
    assert phrase_revocation(revocations_for(ledger, ["c", "a", "b"])) == (
        'peadirektori 01.02.2023 käskkirja nr 5 "Ametijuhendi kinnitamine", 03.03.2023 käskkirja '
        'nr 9 "Ametijuhendi kinnitamine" ja 04.04.2023 käskkirja nr 12 "Ametijuhendi kinnitamine"'
    )


def test_directives_cited_by_annex_are_grouped():
    ledger = [directive(3, "01.02.2023", ["a", "b", "c"]), directive(7, "01.03.2023", ["d", "e"])]
    assert phrase_revocation(revocations_for(ledger, ["a", "c", "e"])) == (
        "peadirektori 01.02.2023 käskkirja nr 3 lisad 1 ja 3 ja 01.03.2023 käskkirja nr 7 lisa 2"
    )


forms = st.lists(st.sampled_from(["pealkiri", "lisad", "tervik"]), min_size=1, max_size=8)


@settings(derandomize=True, max_examples=150, deadline=None)
@given(forms, st.data())
def test_every_mix_of_forms_parses_back_to_what_is_revoked(kinds, data):
    """Every cited directive exactly once, and the phrase reads back as the same revocations."""
    ledger, wanted = [], []
    for i, kind in enumerate(kinds):
        day = f"{i + 1:02d}.0{1 + i % 9}.2025"
        if kind == "pealkiri":
            ledger.append(directive(i + 1, day, single=f"p{i}", title=data.draw(st.sampled_from(
                ["", "Ametijuhendi kinnitamine", "Kriisitoe talituse ametijuhendi kinnitamine"]))))
            wanted.append(f"p{i}")
            continue
        posts = [f"p{i}-{k}" for k in range(data.draw(st.integers(1, 6)))]
        ledger.append(directive(i + 1, day, posts))
        wanted += posts if kind == "tervik" else data.draw(
            st.lists(st.sampled_from(posts), min_size=1, unique=True))
    groups = revocations_for(ledger, wanted)
    phrase = phrase_revocation(groups, style=data.draw(st.sampled_from(["kuni", "sidekriips"])))
    parsed = parse_revocation(phrase)
    expected = [(r.date, r.number, r.annexes) for r in revocations_of(groups)]
    assert parsed == expected
    assert len({(day, n) for day, n, _ in parsed}) == len(parsed) == len(ledger)
    assert phrase.count("peadirektori") == len(groups)
    assert all(a.form != b.form for a, b in zip(groups, groups[1:], strict=False))


def test_groups_keep_chronological_order():
    ledger = [
        directive(10, "01.02.2025", ["a"]),
        directive(20, "01.03.2025", ["b", "c"]),
        directive(30, "01.04.2025", ["d"]),
        directive(40, "01.05.2025", ["e"]),
    ]
    groups = revocations_for(ledger, ["e", "d", "b", "a"])
    assert [g.form for g in groups] == ["kinnitatud", "lisad", "kinnitatud"]
    assert phrase_revocation(groups, head_genitive="ministri") == (
        "ministri 01.02.2025 käskkirjaga nr 10 kinnitatud ametijuhend ning "
        "ministri 01.03.2025 käskkirja nr 20 lisa 1 ning "
        "ministri 01.04.2025 käskkirjaga nr 30 ja 01.05.2025 käskkirjaga nr 40 kinnitatud "
        "ametijuhendid"
    )


def test_range_style_setting():
    ledger = [directive(192, "23.12.2024", ["a", "b", "c", "d"])]
    groups = revocations_for(ledger, ["a", "b", "d"])
    assert phrase_revocation(groups, style="sidekriips") == (
        "peadirektori 23.12.2024 käskkirja nr 192 lisad 1-2 ja 4"
    )


def test_nothing_in_force_gives_none():
    assert phrase_revocation(revocations_for([], ["a"])) is None
    ledger = [directive(192, "23.12.2024", ["a"])]
    assert phrase_revocation(revocations_for(ledger, ["new-post"])) is None
    assert phrase_revocation([]) is None
    # the first directive of all: history before it is empty
    assert phrase_revocation(revocations_for(ledger, ["a"], before=(d("23.12.2024"), "192"))) is None


def test_an_annex_revoked_later_is_not_revoked_again():
    ledger = reference_ledger(with_2026=False)
    groups = revocations_for(ledger, ["ekspert-vaimne-heaolu"])
    assert phrase_revocation(groups) == (
        "peadirektori 06.02.2025 käskkirjaga nr 19 kinnitatud ametijuhend"
    )


def test_all_remaining_annexes_are_still_cited_by_annex():
    """The comitative form cites the whole directive: not when an annex is already revoked."""
    ledger = [
        directive(192, "23.12.2024", ["a", "b", "c"]),
        directive(19, "06.02.2025", ["c"]),
    ]
    groups = revocations_for(ledger, ["a", "b"])
    assert phrase_revocation(groups) == "peadirektori 23.12.2024 käskkirja nr 192 lisad 1 kuni 2"


def test_explicit_revocation_and_abolished_post():
    ledger = [
        directive(192, "23.12.2024", ["a", "b", "c"]),
        directive(
            19,
            "06.02.2025",
            ["d"],
            revokes=[Revocation(number="192", date=d("23.12.2024"), annexes=frozenset({2}))],
        ),
    ]
    assert "b" not in in_force(ledger)
    assert phrase_revocation(revocations_for(ledger, ["a"], abolished_posts=["b", "c"])) == (
        "peadirektori 23.12.2024 käskkirja nr 192 lisad 1 ja 3"
    )
    whole = [*ledger, directive(20, "07.02.2025", ["e"], revokes=[Revocation(number="192", date=d("23.12.2024"))])]
    assert set(in_force(whole)) == {"d", "e"}


def test_revocations_of_for_recording():
    ledger = reference_ledger(with_2026=False)
    groups = revocations_for(ledger, POSTS_2026, ABOLISHED_2026)
    revs = revocations_of(groups)
    assert revs[0] == Revocation(number="192", date=d("23.12.2024"), annexes=frozenset({1, 2, 4, 7, 8, 9, 10}))
    assert [r.number for r in revs[1:]] == ["19", "67", "68", "80", "182"]
    assert all(r.annexes is None for r in revs[1:])


# --- validation -------------------------------------------------------------------------------


def test_validate_reports_each_problem():
    ledger = [
        directive(192, "23.12.2024", {1: "a", 2: "a", 3: "nobody"}),
        directive(19, "06.02.2025", ["b"], revokes=[Revocation(number="55", date=d("01.01.2025"))]),
        directive(19, "07.03.2025", ["b"], revokes=[Revocation(number="192", date=d("23.12.2024"), annexes=frozenset({9}))]),
        directive(20, "08.03.2025", single="a", annexes={1: "b"}),
    ]
    messages = [m for m, _ in validate_ledger(ledger, {"a", "b"})]
    text = "\n".join(messages)
    assert 'tundmatu ametikoht "nobody"' in text
    assert 'kinnitab ametikoha "a" ametijuhendi mitu korda (lisad 1 ja 2)' in text
    assert "Number 19 on 2025. aastal kasutusel mitu korda" in text
    assert "tunnistab kehtetuks 01.01.2025 käskkirja nr 55, mida ajaloos ei ole" in text
    assert "lisa 9, mida sellel käskkirjal ei ole" in text
    assert "mitte mõlemad" in text


def test_validate_a_good_ledger_is_silent():
    assert validate_ledger(reference_ledger(), KNOWN_POSTS) == []


def test_sequence_warning_for_reversed_dates():
    ledger = [directive(10, "01.03.2025", ["a"]), directive(11, "01.02.2025", ["b"])]
    (warning,) = sequence_warnings(ledger)
    assert "nr 11 (01.02.2025) on dateeritud varem" in warning[0]


# --- recording --------------------------------------------------------------------------------


def test_record_adds_without_changing_the_old_ledger():
    ledger = reference_ledger()
    new = directive(2, "08.01.2026", ["a"], id="2026-02")
    assert record_refusals(ledger, new) == []
    after = record(ledger, new)
    assert after[-1] is new and len(after) == len(ledger) + 1
    assert ledger[-1].id == "2026-01"


def test_record_refuses_the_same_directive_twice():
    ledger = reference_ledger()
    again = directive(1, "07.01.2026", POSTS_2026, id="2026-01")
    with pytest.raises(RecordRefused) as e:
        record(ledger, again)
    assert e.value.reasons == [
        "Käskkiri 2026-01 (07.01.2026 nr 1) on juba ajalukku kantud: sama käskkirja ei saa kanda kaks korda."
    ]


def test_record_refuses_a_used_number_and_an_earlier_date():
    ledger = reference_ledger()
    reasons = record_refusals(ledger, directive(182, "20.12.2025", ["a"], id="2025-x"))
    assert any("Number 182 on 2025. aastal juba kasutatud" in r for r in reasons)
    assert any("on varasem kui ajaloo viimase käskkirja (käskkiri 07.01.2026 nr 1)" in r for r in reasons)
    assert len(reasons) == 2
    # the same number in another year is fine
    assert record_refusals(ledger, directive(19, "09.01.2026", ["a"])) == []


def test_record_refuses_a_draft():
    (reason,) = record_refusals((), directive("", "09.01.2026", ["a"]))
    assert "numbrit" in reason


# --- reading the YAML data --------------------------------------------------------------------


def test_ledger_from_plain_data_reports_problems():
    data = {
        "kaskkirjad": [
            {"number": 192, "kuupaev": "2024-12-23x", "lisad": {1: "a"}},
            {"number": 19, "kuupaev": "06.02.2025", "lisad": ["b"], "vale": 1,
             "tunnistab_kehtetuks": [{"number": 192, "kuupaev": "23.12.2024", "lisad": "1 kuni x"}]},
            {"number": 20, "kuupaev": "07.02.2025", "ametijuhend": "c",
             "tunnistab_kehtetuks": [{"number": 19, "kuupaev": "06.02.2025", "lisad": [1]}]},
        ],
        "muu": 1,
    }
    ledger, problems = ledger_from_data(data, "ajalugu.yaml")
    text = "\n".join(m for m, _ in problems)
    assert "pp.kk.aaaa" in text and "`vale`" in text and "`muu`" in text and "1 kuni x" in text
    assert [x.number for x in ledger] == ["19", "20"]
    assert ledger[1].single_post == "c" and ledger[1].revokes[0].annexes == frozenset({1})
    assert all(src[0] == "ajalugu.yaml" for _, src in problems)


def test_revocation_phrase_for_the_model():
    """The entry point resolve.py calls, with stand-ins for the definitions model."""
    from types import SimpleNamespace as NS

    from kaskkiri_builder.definitions.model import Style

    org = NS(head=NS(genitive="peadirektori"), style=Style())
    defs = NS(ledger=reference_ledger(), organisation=org)
    refs = lambda ids: tuple(NS(post_id=p) for p in ids)  # noqa: E731
    signed = NS(
        annexes=refs(POSTS_2026), abolished=refs(ABOLISHED_2026), number="1", date=d("07.01.2026")
    )
    phrase, groups = revocation_phrase_for(defs, signed)
    assert phrase == REFERENCE_PHRASE and len(groups) == 2
    draft = NS(annexes=refs(POSTS_2026[:1]), abolished=(), number=None, date=None)
    assert revocation_phrase_for(defs, draft)[0] == "peadirektori 07.01.2026 käskkirja nr 1 lisa 1"
    empty = NS(ledger=None, organisation=org)
    assert revocation_phrase_for(empty, draft) == (None, ())


# --- drafting style (vormistus) ------------------------------------------------------------


def test_drafting_style_quotes_and_pairs():
    ledger = [directive(5, "01.02.2023", single="a"), directive(7, "01.03.2023", ["b", "c", "d", "e"])]
    groups = revocations_for(ledger, ["a", "b", "c", "e"])
    assert phrase_revocation(groups, quotes="eesti", pairs=False) == (
        "peadirektori 01.02.2023 käskkirja nr 5 „Ametijuhendi kinnitamine“ ning "
        "peadirektori 01.03.2023 käskkirja nr 7 lisad 1, 2 ja 4"
    )
    assert phrase_revocation(groups) == (
        'peadirektori 01.02.2023 käskkirja nr 5 "Ametijuhendi kinnitamine" ning '
        "peadirektori 01.03.2023 käskkirja nr 7 lisad 1 kuni 2 ja 4"
    )


def test_the_example_directive_in_another_drafting_style(tmp_path):
    """The style applies wherever the directive cites: legal basis, point 1 and point 2."""
    from kaskkiri_builder.definitions import load_definitions
    from kaskkiri_builder.resolve import resolve_directive
    from toolkit import copy_example

    project = copy_example(tmp_path)
    org = project / "definitions/organisatsioon.yaml"
    org.write_text(org.read_text(encoding="utf-8").replace(
        "lisade_vahemik_kehtetuks: kuni", "lisade_vahemik_kehtetuks: kuni\n  jutumargid: eesti\n"
        "  kaks_lisa_jarjest: loetelu", 1), encoding="utf-8")
    rd = resolve_directive(load_definitions(project / "definitions"), "2026-01")
    assert '„Sotsiaalkindlustusameti põhimäärus“ § 10' in rd.preamble
    point2 = next(p.text for p in rd.points if p.text.startswith("Tunnistan kehtetuks"))
    assert "käskkirja nr 192 lisad 1, 2, 4 ja 7 kuni 10 ning" in point2
    default = resolve_directive(load_definitions(ROOT / "definitions"), "2026-01")
    assert '"Sotsiaalkindlustusameti põhimäärus"' in default.preamble
    assert "lisad 1 kuni 2, 4 ja 7 kuni 10" in next(p.text for p in default.points if p.text.startswith("Tunnistan"))

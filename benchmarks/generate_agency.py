"""Writes a project folder of a realistic, large agency, for benchmarks (deterministic, seeded).

    .venv/bin/python benchmarks/generate_agency.py OUT [--posts 1000] [--units 40]
        [--ledger 100] [--annexes 200] [--seed 1]

OUT gets definitions/ and a copy of templates/. The agency: departments (osakond) with divisions
(talitus); each department has a head reporting to the agency's head, each division a head
(talituse juhataja) reporting to the department's head, every other post reports to its
division's head; substitutes are reciprocal pairs. Duties mix the example's shared clauses (with
parameter values the example uses) and own texts. The ledger (ajalugu.yaml) has directives over
three years that approved every post; the draft `suur` re-approves posts of the first (largest)
department, which is the draft's unit, so all its annexes belong to it.
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "definitions"

# Genitive first parts of unit names ("ohvriabi osakond", "kriisitoe talitus").
UNIT_WORDS = [
    "ohvriabi", "kriisitoe", "lastekaitse", "pensioni", "hüvitiste", "rehabilitatsiooni",
    "erihoolekande", "andmeanalüüsi", "kvaliteedi", "arenduse", "õiguse", "personali", "finants",
    "kommunikatsiooni", "infotehnoloogia", "klienditeeninduse", "järelevalve", "ennetuse",
    "koolituse", "hanke", "dokumendihalduse", "riskijuhtimise", "toetuste", "teenuste",
    "perehüvitiste", "puudetoetuste", "töövõime", "sotsiaaltöö", "eestkoste", "ohutuse", "heaolu",
    "lepingute", "analüüsi", "strateegia", "auditi", "andmekaitse", "halduse", "arhiivi",
    "varahalduse", "sisekontrolli", "nõustamise", "eelarve", "raamatupidamise", "värbamise",
    "partnerluse", "teabe", "menetluse", "hoolekande",
]
TITLES = [
    "nõustaja", "spetsialist", "peaspetsialist", "juhtivspetsialist", "ekspert", "analüütik",
    "koordinaator", "projektijuht", "teenuseomanik", "jurist",
]
AREAS = [
    "andmed", "koolitused", "kriisitelefon", "videonõustamine", "partnerid", "menetlus", "kvaliteet",
    "lepingud", "arendus", "teavitus", "piirkond", "järelevalve",
]
# Parameter values the example's posts use, per clause (the clause's own default among them).
CLAUSE_PARAMS: dict[str, dict[str, list[Any]]] = {
    "ulesanne-kriisid": {"padevus": ["pädevuste", "pädevuse"]},
    "ulesanne-kirjad": {"valdkond": ["", "Teenust", "Vastutusvaldkonda"],
                        "tahtaeg": ["tähtaegselt", "õigeaegselt"]},
    "ulesanne-dokumentatsioon": {},
    "ulesanne-koostoo": {},
    "ulesanne-vorgustik": {"valdkond": ["PSK", "ohvriabi"]},
    "ulesanne-labiraakimised": {},
    "ulesanne-uhekordsed": {"kes": ["Vahetu juhi"], "tegevus": ["täitmine", "teostamine"]},
    "ulesanne-muud-tegevused": {"valdkond": ["pädevusvaldkonda", "vastutusvaldkonda"]},
    "ulesanne-teenuse-arendamine": {},
    "ulesanne-oigusaktid": {},
    "ulesanne-ennetus-osalemine": {},
    "ulesanne-supervisioon": {},
    "ulesanne-enesehoid": {},
    "ulesanne-noustamine-asutused": {"oopaevaringne": [True, False]},
    "ulesanne-info-koondamine": {},
}
OWN_ACTIONS = [
    ("analüüside koostamine", "Analüüsid on koostatud korrektselt ja tähtaegselt."),
    ("juhendite ettevalmistamine ja kaasajastamine", "Juhendid on ajakohased ja asjatundlikud."),
    ("statistika koondamine", "Statistika on koondatud ja kättesaadav."),
    ("menetluste läbiviimine", "Menetlused on läbi viidud nõuetekohaselt ja õigeaegselt."),
    ("teenuse kvaliteedi seire", "Teenuse kvaliteeti seiratakse regulaarselt."),
    ("koolituste korraldamine", "Koolitused on korraldatud sihtgrupi vajadustest lähtuvalt."),
]
OIGUSALUS = [
    "Avaliku teenistuse seaduse § 52 lõigete 1 ja 2",
    'sotsiaalkaitseministri 30.01.2019 määruse nr 2 "Sotsiaalkindlustusameti põhimäärus" § 10 '
    "lõike 1 punkti 9",
]


def ascii_id(text: str) -> str:
    """An id from Estonian words: ASCII, lower case, '-' between words."""
    table = str.maketrans({"õ": "o", "ä": "a", "ö": "o", "ü": "u", "š": "s", "ž": "z"})
    out = "".join(c if c.isalnum() else "-" for c in text.lower().translate(table))
    return "-".join(p for p in out.split("-") if p)


@dataclass
class Unit:
    id: str
    word: str
    kind: str  # "osakond" or "talitus"
    parent: str | None = None
    posts: list[str] = field(default_factory=list)


@dataclass
class Post:
    id: str
    title: str
    unit: str
    group: str
    manager: str
    subordinates: list[str] = field(default_factory=list)
    substitutes: list[str] = field(default_factory=list)


def make_units(n_units: int) -> tuple[list[Unit], list[Unit]]:
    """Departments and divisions; the first department gets a third of the divisions."""
    if n_units > len(UNIT_WORDS):
        raise SystemExit(f"at most {len(UNIT_WORDS)} units")
    n_dept = max(2, n_units // 7)
    depts = [Unit(ascii_id(w) + "-osakond", w, "osakond") for w in UNIT_WORDS[:n_dept]]
    divs: list[Unit] = []
    n_div = n_units - n_dept
    first = max(1, -(-n_div // 3))
    for i, w in enumerate(UNIT_WORDS[n_dept:n_units]):
        parent = depts[0] if i < first else depts[1 + (i - first) % (n_dept - 1)]
        divs.append(Unit(ascii_id(w) + "-talitus", w, "talitus", parent.id))
    return depts, divs


def make_posts(rng: random.Random, depts: list[Unit], divs: list[Unit], n_posts: int) -> dict[str, Post]:
    """Heads first, then staff spread over the divisions; managers and substitutes consistent."""
    posts: dict[str, Post] = {}
    for d in depts:
        p = Post(f"{d.id}-juhataja", "osakonna juhataja", d.id, "ametnik", "asutuse-juht")
        posts[p.id] = p
        d.posts.append(p.id)
    for v in divs:
        head = posts[f"{v.parent}-juhataja"]
        p = Post(f"{v.id}-juhataja", "talituse juhataja", v.id, "ametnik", head.id)
        posts[p.id] = p
        head.subordinates.append(p.id)
        v.posts.append(p.id)
    staff = n_posts - len(posts)
    if staff < 0:
        raise SystemExit(f"{n_posts} posts are too few for {len(depts) + len(divs)} units")
    for i in range(staff):
        v = divs[i % len(divs)]
        title = TITLES[rng.randrange(len(TITLES))]
        area = AREAS[rng.randrange(len(AREAS))]
        pid = f"{ascii_id(title)}-{v.id}-{len(v.posts)}"
        head = posts[f"{v.id}-juhataja"]
        p = Post(pid, f"{title} ({area})", v.id, rng.choice(["ametnik", "töötaja"]), head.id)
        posts[pid] = p
        head.subordinates.append(pid)
        v.posts.append(pid)
    _pair_substitutes(posts, depts, divs)
    return posts


def genitive(unit: Unit) -> str:
    """The stored genitive: "ohvriabi osakonna", "kriisitoe talituse"."""
    return f"{unit.word} {'osakonna' if unit.kind == 'osakond' else 'talituse'}"


def _pair(a: Post, b: Post) -> None:
    a.substitutes.append(b.id)
    b.substitutes.append(a.id)


def _pair_substitutes(posts: dict[str, Post], depts: list[Unit], divs: list[Unit]) -> None:
    """Reciprocal pairs: a department head and its first division head; within a division the
    head and its first post, then the others two by two (an odd last one with the head)."""
    for d in depts:
        first_div = next((v for v in divs if v.parent == d.id), None)
        if first_div:
            _pair(posts[d.posts[0]], posts[first_div.posts[0]])
    for v in divs:
        ids = v.posts
        if len(ids) < 2:
            continue
        _pair(posts[ids[0]], posts[ids[1]])
        rest = ids[2:]
        for a, b in zip(rest[::2], rest[1::2], strict=False):
            _pair(posts[a], posts[b])
        if len(rest) % 2:
            _pair(posts[ids[0]], posts[rest[-1]])


def duties(rng: random.Random, post: Post, unit_word: str) -> list[dict[str, Any]]:
    """About ten duties: shared clauses (some with parameters), own texts, the clause closing."""
    out: list[dict[str, Any]] = []
    if post.subordinates:
        out.append({"klausel": "ulesanne-meeskond"})
    for cid in rng.sample(sorted(CLAUSE_PARAMS), 7):
        entry: dict[str, Any] = {"klausel": cid}
        params = {k: rng.choice(v) for k, v in CLAUSE_PARAMS[cid].items() if rng.random() < 0.5}
        if params:
            entry["parameetrid"] = params
        out.append(entry)
    for action, result in rng.sample(OWN_ACTIONS, 2):
        out.append({
            "ulesanne": f"{unit_word.capitalize()} valdkonna {action}.",
            "tulemused": [result],
        })
    return out


def post_yaml(rng: random.Random, post: Post, units: dict[str, Unit]) -> dict[str, Any]:
    unit = units[post.unit]
    data: dict[str, Any] = {
        "teenistuskoht": post.title,
        "struktuuriyksus": post.unit,
        "ametikoha_grupp": post.group,
        "vahetu_juht": post.manager,
        "alluvad": post.subordinates,
        "teenistuja_asendab": post.substitutes,
        "teenistuja_asendaja": list(post.substitutes),  # a copy: no YAML alias
        "eesmark": f"{genitive(unit).capitalize()} eesmärkide saavutamise tagamine oma valdkonnas.",
        "ulesanded": duties(rng, post, unit.word),
        "nouded": {
            "haridus": rng.choice(["Kõrgharidus.", "Kõrgharidus, soovitavalt sotsiaalvaldkonnas."]),
            "keeleoskus": "Eesti keele oskus vähemalt tasemel C1. Inglise keele oskus tasemel B2.",
            "isikuomadused": "Hoolivus, asjatundlikkus, koostöövõime, uuendusmeelsus",
        },
        "oigused_ja_vastutus": {"klausel": "oigused-ja-vastutus",
                                "parameetrid": {"riigisaladus": rng.random() < 0.7}},
    }
    if not post.subordinates:
        del data["alluvad"]
    return data


def organisation(depts: list[Unit], divs: list[Unit]) -> dict[str, Any]:
    org = _yaml().load((EXAMPLE / "organisatsioon.yaml").read_text(encoding="utf-8"))
    units: dict[str, Any] = {}
    for u in depts + divs:
        units[u.id] = {"nimetus": f"{u.word} {u.kind}", "omastav": genitive(u)}
        if u.parent:
            units[u.id]["kuulub"] = u.parent
    org["struktuuriyksused"] = units
    org["kirjaplank"]["logo_korgus"] = str(org["kirjaplank"]["logo_korgus"])
    return org


def ledger(rng: random.Random, order: list[str], n: int) -> dict[str, Any]:
    """n directives over 2023-2025, numbers and dates rising within each year, approving `order`."""
    entries = []
    size = -(-len(order) // n)
    chunks = [order[i:i + size] for i in range(0, len(order), size)]
    per_year = -(-len(chunks) // 3)
    for year_i in range(3):
        year_chunks = chunks[year_i * per_year:(year_i + 1) * per_year]
        days = sorted(rng.sample(range(5, 355), len(year_chunks)))
        number = rng.randint(1, 20)
        for day, chunk in zip(days, year_chunks, strict=True):
            when = date(2023 + year_i, 1, 1) + timedelta(days=day)
            entry: dict[str, Any] = {"number": str(number), "kuupaev": when.strftime("%d.%m.%Y")}
            entry["lisad"] = chunk
            entries.append(entry)
            number += rng.randint(1, 6)
    return {"kaskkirjad": entries}


def draft(dept: Unit, annexes: list[str]) -> dict[str, Any]:
    return {
        "oigusalus": OIGUSALUS,
        "struktuuriyksus": dept.id,
        "lisad": annexes,
        "allkirjastaja": {"nimi": "Maret Maripuu", "ametinimetus": "peadirektor"},
    }


def _yaml() -> YAML:
    y = YAML(typ="safe", pure=True)
    y.default_flow_style = False
    y.allow_unicode = True
    y.width = 100
    y.representer.sort_base_mapping_type_on_output = False
    return y


def dump(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        _yaml().dump(data, f)


def generate(out: Path, posts: int = 1000, units: int = 40, ledger_size: int = 100,
             annexes: int = 200, seed: int = 1) -> None:
    """Write OUT/definitions and OUT/templates (OUT/definitions must not exist yet)."""
    rng = random.Random(seed)
    depts, divs = make_units(units)
    all_posts = make_posts(rng, depts, divs, posts)
    by_id = {u.id: u for u in depts + divs}
    defs = out / "definitions"
    defs.mkdir(parents=True)
    shutil.copytree(EXAMPLE / "klauslid", defs / "klauslid")
    shutil.copytree(ROOT / "templates", out / "templates", dirs_exist_ok=True)
    dump(defs / "organisatsioon.yaml", organisation(depts, divs))
    for p in all_posts.values():
        dump(defs / "ametikohad" / f"{p.id}.yaml", post_yaml(rng, p, by_id))
    by_dept = [d.posts + [pid for v in divs if v.parent == d.id for pid in v.posts] for d in depts]
    dump(defs / "ajalugu.yaml", ledger(rng, [pid for ids in by_dept for pid in ids], ledger_size))
    first = by_dept[0]
    if len(first) < annexes:
        raise SystemExit(f"the first department has {len(first)} posts, fewer than {annexes} annexes")
    dump(defs / "kaskkirjad" / "suur.yaml", draft(depts[0], first[:annexes]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--posts", type=int, default=1000)
    ap.add_argument("--units", type=int, default=40)
    ap.add_argument("--ledger", type=int, default=100)
    ap.add_argument("--annexes", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    generate(a.out, a.posts, a.units, a.ledger, a.annexes, a.seed)
    print(f"{a.out}: {a.posts} posts, {a.units} units, ledger {a.ledger}, draft suur ({a.annexes} annexes)")


if __name__ == "__main__":
    main()

"""A small, clean project for the checks' tests: three posts that agree with each other.

A test copies `base()`, changes the one thing it is about, writes the files with `write()` and
loads them with the real loader. The clean base has no findings (see test_checks_run.py), so
whatever a test finds comes from its change.
"""

from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from kaskkiri_builder.checks.findings import Finding
from kaskkiri_builder.definitions import Definitions, load_definitions

ORGANISATION: dict[str, Any] = {
    "asutus": {
        "nimetus": "Sotsiaalkindlustusamet",
        "omastav": "Sotsiaalkindlustusameti",
        "kellele": "Sotsiaalkindlustusametile",
        "lyhend": "SKA",
    },
    "juht": {"ametinimetus": "peadirektor", "omastav": "peadirektori"},
    "struktuuriyksused": {
        "osakond": {"nimetus": "ohvriabi osakond", "omastav": "ohvriabi osakonna"},
        "talitus": {"nimetus": "kriisitoe talitus", "omastav": "kriisitoe talituse", "kuulub": "osakond"},
        "muu": {"nimetus": "personalitalitus", "omastav": "personalitalituse"},
    },
    "vormistus": {"lisade_vahemik_kinnitamisel": "kuni", "lisade_vahemik_kehtetuks": "kuni"},
}

CLAUSES: dict[str, Any] = {
    "uhekordsed": {
        "ulesanne": "Vahetu juhi antud muude ühekordsete ülesannete {{ tegevus }}.",
        "tulemused": ["Ülesanded on täidetud nõuetekohaselt ja tähtaegselt."],
        "vaikimisi": {"tegevus": "täitmine"},
    },
    "kirjad": {
        "ulesanne": (
            "Kirjade ja dokumentide kavandite koostamine isikutele, ministeeriumidele, teistele "
            "ametitele, ettevõtetele ja institutsioonidele."
        ),
        "tulemused": ["Kavandid on koostatud korrektselt ja tähtaegselt vastavalt kehtestatud nõuetele."],
    },
    "oigused": {
        "read": [
            {"silt": "Õigused", "punktid": ["teha kaugtööd kokkuleppel vahetu juhiga;", "vastu võtta otsuseid oma pädevuse piires."]},
            {"silt": "Vastutus", "punktid": ["ameti maine hoidmise eest enda poolt vahendatavas teabes ja oma tegevustes."]},
        ],
    },
    "lopurida": {"tekst": "Ametijuhend vaadatakse üle kord aastas vahetu juhiga või töökorralduse muutumisel."},
}


def _full(title: str, group: str, **lists: Any) -> dict[str, Any]:
    post = {
        "teenistuskoht": title,
        "struktuuriyksus": "talitus",
        "ametikoha_grupp": group,
        **lists,
        "eesmark": f"Teenistuskoha {title} eesmärk on teenuse korraldamine.",
        "ulesanded": [
            {"ulesanne": f"Teenuse korraldamine ametikohal {title}.", "tulemused": ["Teenus on korraldatud."]},
            {"klausel": "kirjad"},
            {"klausel": "uhekordsed"},
        ],
        "nouded": {
            "haridus": "Kõrgharidus",
            "erialane_tookogemus": "Vähemalt 2-aastane töökogemus.",
            "keeleoskus": "Eesti keele oskus vähemalt tasemel C1. Inglise keele oskus tasemel B2.",
            "teadmised_ja_oskused": "Hea suhtlemisoskus.",
            "isikuomadused": "Hoolivus, asjatundlikkus",
        },
        "oigused_ja_vastutus": "oigused",
    }
    return post


def base() -> dict[str, Any]:
    """The clean project as data: organisation, clauses, posts, directive, no ledger."""
    posts = {
        "juht": _full(
            "talituse juhataja",
            "ametnik",
            vahetu_juht="osakonna-juhataja",
            alluvad=["spets", "noustaja"],
            teenistuja_asendab=["spets"],
            teenistuja_asendaja=["spets"],
        ),
        "spets": _full(
            "spetsialist",
            "ametnik",
            vahetu_juht="juht",
            alluvad=[],
            teenistuja_asendab=["juht"],
            teenistuja_asendaja=["juht"],
        ),
        "noustaja": _full(
            "nõustaja",
            "töötaja",
            vahetu_juht="juht",
            alluvad=[],
            teenistuja_asendab=[],
            teenistuja_asendaja=[],
        ),
        "osakonna-juhataja": {
            "teenistuskoht": "osakonna juhataja",
            "struktuuriyksus": "osakond",
            "ametikoha_grupp": "ametnik",
        },
    }
    directive = {
        "oigusalus": ["Avaliku teenistuse seaduse § 52 lõigete 1 ja 2"],
        "struktuuriyksus": "talitus",
        "lisad": ["juht", "spets", "noustaja"],
        "allkirjastaja": {"nimi": "Maret Maripuu", "ametinimetus": "peadirektor"},
    }
    return {
        "organisation": copy.deepcopy(ORGANISATION),
        "clauses": copy.deepcopy(CLAUSES),
        "posts": posts,
        "directives": {"d1": directive},
        "ledger": None,
    }


def _dump(data: Any) -> str:
    y = YAML(typ="safe", pure=True)
    y.default_flow_style = False
    y.allow_unicode = True
    y.width = 4096
    buf = io.StringIO()
    y.dump(data, buf)
    return buf.getvalue()


def write(root: Path, project: dict[str, Any]) -> Path:
    """Write the project's files under root/definitions; returns that folder."""
    d = root / "definitions"
    for sub in ("ametikohad", "klauslid", "kaskkirjad"):
        (d / sub).mkdir(parents=True, exist_ok=True)
    (d / "organisatsioon.yaml").write_text(_dump(project["organisation"]), encoding="utf-8")
    (d / "klauslid" / "klauslid.yaml").write_text(_dump(project["clauses"]), encoding="utf-8")
    for pid, post in project["posts"].items():
        (d / "ametikohad" / f"{pid}.yaml").write_text(_dump(post), encoding="utf-8")
    for did, directive in project["directives"].items():
        (d / "kaskkirjad" / f"{did}.yaml").write_text(_dump(directive), encoding="utf-8")
    if project.get("ledger") is not None:
        (d / "ajalugu.yaml").write_text(_dump(project["ledger"]), encoding="utf-8")
    return d


def load(root: Path, project: dict[str, Any]) -> Definitions:
    return load_definitions(write(root, project))


def kinds(findings: list[Finding]) -> list[str]:
    return [f.kind for f in findings]


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line containing `needle`."""
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in {path}")

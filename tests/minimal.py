"""Legacy: a minimal project written from YAML strings, kept only for tests/test_review.py.

Every other test uses the toolkit's small project (toolkit.small_project / write_project). When
test_review.py moves to it (its edits become edits of the data, not of these strings), delete
this file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ORGANISATION = """\
asutus:
  nimetus: Sotsiaalkindlustusamet
  omastav: Sotsiaalkindlustusameti
  kellele: Sotsiaalkindlustusametile
juht:
  ametinimetus: peadirektor
  omastav: peadirektori
struktuuriyksused:
  osakond: {nimetus: ohvriabi osakond, omastav: ohvriabi osakonna}
  talitus: {nimetus: kriisitoe talitus, omastav: kriisitoe talituse, kuulub: osakond}
"""

CLAUSES = """\
uhekordsed:
  ulesanne: Vahetu juhi antud muude ühekordsete ülesannete {{ tegevus }}.
  tulemused: [Ülesanded on täidetud nõuetekohaselt ja tähtaegselt.]
  vaikimisi: {tegevus: täitmine}
oigused:
  read:
    - silt: Õigused
      punktid: ["saada tööalast juhendamist ja {% if pohjendatud_juhul %}põhjendatud juhul {% endif %}supervisiooni;"]
    - silt: Vastutus
      punktid: [ameti maine hoidmise eest.]
  vaikimisi: {pohjendatud_juhul: true}
lopurida:
  tekst: Ametijuhend vaadatakse üle kord aastas vahetu juhiga või töökorralduse muutumisel.
"""

JUHT = """\
teenistuskoht: talituse juhataja
struktuuriyksus: talitus
ametikoha_grupp: ametnik
"""

NOUSTAJA = """\
teenistuskoht: nõustaja
teenistuskoht_mitmuses: nõustajad
struktuuriyksus: talitus
ametikoha_grupp: töötaja
vahetu_juht: juht
alluvad: []
teenistuja_asendab: [juht]
teenistuja_asendaja: [juht]
eesmark: Nõustamine.
ulesanded:
  - ulesanne: Nõustamine.
    tulemused: [Nõustatud.]
  - klausel: uhekordsed
nouded:
  haridus: Kõrgharidus
  keeleoskus: Eesti keele oskus vähemalt tasemel C1.
oigused_ja_vastutus: oigused
"""

DIRECTIVE = """\
oigusalus: Avaliku teenistuse seaduse § 52 lõigete 1 ja 2
struktuuriyksus: talitus
lisad: [noustaja]
allkirjastaja: {nimi: Maret Maripuu, ametinimetus: peadirektor}
"""


def write_project(root: Path, *, posts: dict[str, str] | None = None, directive: str = DIRECTIVE,
                  clauses: str = CLAUSES, organisation: str = ORGANISATION, ledger: str | None = None,
                  templates: bool = True) -> Path:
    """Write a small valid project; `posts` adds or replaces post files by id."""
    d = root / "definitions"
    for sub in ("ametikohad", "klauslid", "kaskkirjad"):
        (d / sub).mkdir(parents=True, exist_ok=True)
    (d / "organisatsioon.yaml").write_text(organisation, encoding="utf-8")
    (d / "klauslid" / "yldised.yaml").write_text(clauses, encoding="utf-8")
    all_posts = {"juht": JUHT, "noustaja": NOUSTAJA, **(posts or {})}
    for pid, text in all_posts.items():
        (d / "ametikohad" / f"{pid}.yaml").write_text(text, encoding="utf-8")
    (d / "kaskkirjad" / "d1.yaml").write_text(directive, encoding="utf-8")
    if ledger is not None:
        (d / "ajalugu.yaml").write_text(ledger, encoding="utf-8")
    if templates and not (root / "templates").exists():
        shutil.copytree(ROOT / "templates", root / "templates")
    return root

"""A recorded directive's output is its archive: `build 2026-01` delivers the approved files byte
for byte, and a rebuild from the archived definitions and templates only verifies them."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from kaskkiri_builder.approved import approved_build, compare_rebuild
from kaskkiri_builder.canonical_pdf import canonical_pdf
from kaskkiri_builder.errors import ArchiveError
from toolkit import cli, lo_like_pdf, tree

APPROVED = "arhiiv/2026-01/kinnitatud"


def test_build_of_a_recorded_directive_delivers_the_archive(example: Path) -> None:
    r = cli(example, "build", "2026-01", "--ainult-word")
    assert tree(example / "output/2026-01") == tree(example / APPROVED)
    assert (example / "output/2026-01/manifest.json").read_bytes() == (example / APPROVED / "manifest.json").read_bytes()
    assert "Väljastan kinnitatud failid arhiivist (arhiiv/2026-01/kinnitatud/)" in r.stderr
    # PDFs and the container come from the archive too, though --ainult-word converts nothing
    assert (example / "output/2026-01/kaskkiri-2026-01.asice").is_file()


def test_a_changed_archived_definition_fails_the_build(example: Path) -> None:
    """The rebuild is the verification: an archived post changed after signing is caught."""
    post = example / "arhiiv/2026-01/definitions/ametikohad/talituse-juhataja.yaml"
    cli(example, "build", "2026-01", "--ainult-word")  # a first good output to keep
    text = post.read_text(encoding="utf-8")
    assert "  Talituse töö juhtimine" in text
    post.write_text(text.replace("  Talituse töö juhtimine", "  Talituse töö korraldamine", 1), encoding="utf-8")
    before = tree(example / "output") if (example / "output").exists() else {}
    r = cli(example, "build", "2026-01", "--ainult-word", code=8)
    assert f"{APPROVED}/lisa-01-talituse-juhataja.docx: arhiivi definitsioonidest ja mallidest " \
           "koostatud Wordi fail erineb kinnitatust" in r.stderr
    assert "Väljundit ega definitsioone ei muudetud." in r.stderr
    assert (tree(example / "output") if (example / "output").exists() else {}) == before


@pytest.mark.parametrize("name", ["lisa-03-ekspert-vaimne-heaolu.pdf", "kaskkiri.docx"])
def test_a_damaged_archive_is_refused(example: Path, name: str) -> None:
    path = example / APPROVED / name
    path.write_bytes(path.read_bytes() + b"\n")
    r = cli(example, "build", "2026-01", "--ainult-word", code=8)
    assert f"{APPROVED}/{name}: kinnitatud fail on arhiivis muutunud (SHA-256 ei vasta manifestile)" in r.stderr
    assert not (example / "output/2026-01").exists()


def test_a_missing_archived_file_is_refused(example: Path) -> None:
    (example / APPROVED / "kaskkiri-2026-01.asice").unlink()
    r = cli(example, "build", "2026-01", code=8)
    assert f"{APPROVED}/kaskkiri-2026-01.asice: kinnitatud fail puudub arhiivist" in r.stderr


def _fake_build(folder: Path, files: dict[str, tuple[str, bytes]]) -> None:
    import hashlib

    folder.mkdir(parents=True)
    entries = []
    for name, (role, data) in files.items():
        (folder / name).write_bytes(data)
        entries.append({"path": name, "role": role, "sha256": hashlib.sha256(data).hexdigest()})
    (folder / "manifest.json").write_text(json.dumps({"directive": "x", "files": entries}))


def test_compare_rebuild_reports_pdfs_and_refuses_word(tmp_path: Path) -> None:
    archive, rebuilt = tmp_path / "arhiiv/x/kinnitatud", tmp_path / "uus"
    _fake_build(archive, {"kaskkiri.docx": ("directive", b"w"), "kaskkiri.pdf": ("pdf", b"p1"),
                          "k.asice": ("container", b"c")})
    rebuilt.mkdir()
    (rebuilt / "kaskkiri.docx").write_bytes(b"w")
    (rebuilt / "kaskkiri.pdf").write_bytes(b"p2")
    (rebuilt / "k.asice").write_bytes(b"c")
    approved = approved_build(archive)
    assert approved is not None
    notes = compare_rebuild(approved, rebuilt)
    assert len(notes) == 1 and "uuesti koostatud failidest 1 (kaskkiri.pdf) erinevad" in notes[0]
    (rebuilt / "kaskkiri.pdf").write_bytes(b"p1")
    assert compare_rebuild(approved, rebuilt) == []
    (rebuilt / "kaskkiri.docx").write_bytes(b"W")
    with pytest.raises(ArchiveError) as err:
        compare_rebuild(approved, rebuilt)
    assert err.value.problems[0].file == "arhiiv/x/kinnitatud/kaskkiri.docx"


def _container(**members: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_compare_rebuild_takes_the_order_of_pdf_objects_for_no_difference(tmp_path: Path) -> None:
    """LibreOffice writes the same document's font objects in either order (canonical_pdf.py):
    a rebuilt PDF, or a container of such, is the approved document, and no note says otherwise;
    a rebuilt PDF with another text is noted."""
    archive, rebuilt = tmp_path / "arhiiv/x/kinnitatud", tmp_path / "uus"
    approved_pdf, reordered = lo_like_pdf(bold_first=True), lo_like_pdf(bold_first=False)
    _fake_build(archive, {
        "kaskkiri.pdf": ("pdf", approved_pdf),
        "allkirjastamiseks-x.pdf": ("package", approved_pdf),
        "k.asice": ("container", _container(mimetype=b"m", **{"kaskkiri.pdf": approved_pdf})),
    })
    rebuilt.mkdir()
    (rebuilt / "kaskkiri.pdf").write_bytes(reordered)
    (rebuilt / "allkirjastamiseks-x.pdf").write_bytes(canonical_pdf(approved_pdf))
    (rebuilt / "k.asice").write_bytes(_container(mimetype=b"m", **{"kaskkiri.pdf": reordered}))
    approved = approved_build(archive)
    assert approved is not None
    assert compare_rebuild(approved, rebuilt) == []
    other = lo_like_pdf(bold_first=False, text=b"Kaskkira")
    (rebuilt / "k.asice").write_bytes(_container(mimetype=b"m", **{"kaskkiri.pdf": other}))
    (rebuilt / "kaskkiri.pdf").write_bytes(other)
    (notes,) = compare_rebuild(approved, rebuilt)
    assert "failidest 2 (kaskkiri.pdf, k.asice) erinevad" in notes
    (rebuilt / "k.asice").write_bytes(_container(**{"kaskkiri.pdf": reordered}))  # mimetype gone
    (rebuilt / "kaskkiri.pdf").write_bytes(b"%PDF-1.6 cut")
    (notes,) = compare_rebuild(approved, rebuilt)
    assert "failidest 2 (kaskkiri.pdf, k.asice) erinevad" in notes


def test_an_unreadable_archive_manifest(tmp_path: Path) -> None:
    folder = tmp_path / "arhiiv/x/kinnitatud"
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text("{", encoding="utf-8")
    with pytest.raises(ArchiveError, match="manifest on loetamatu"):
        approved_build(folder)
    assert approved_build(tmp_path) is None

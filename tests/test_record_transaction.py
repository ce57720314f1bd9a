"""`record` is one transaction: a project lock, and a journal that the next command finishes.

The reliability findings: two `record` runs at once lost a ledger entry or left YAML and archive
disagreeing about the number; a kill between its renames left the YAML changed and the ledger
not; with output/ read-only it said "Väljundit ei muudetud" after writing YAML, ledger and archive.
"""

from __future__ import annotations

import errno
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from kaskkiri_builder import recording
from kaskkiri_builder.build import Project, build, recording_journal
from kaskkiri_builder.definitions import load_definitions
from kaskkiri_builder.errors import LockError, RecordError
from kaskkiri_builder.lock import project_lock
from toolkit import DRAFT, cli, tree

RECORD = ["record", DRAFT, "--kuupaev", "20.01.2026", "--ainult-word"]


def entries(project: Path) -> list[tuple[str | None, str]]:
    ledger = load_definitions(project / "definitions").ledger or ()
    return [(e.id, e.number) for e in ledger if e.id == DRAFT]


def consistent(project: Path) -> str:
    """The number of the recorded draft, after checking that YAML, ledger and archive agree."""
    defs = load_definitions(project / "definitions")
    number = defs.directives[DRAFT].number
    assert number is not None
    assert entries(project) == [(DRAFT, number)]
    archived = load_definitions(project / f"arhiiv/{DRAFT}/definitions")
    assert archived.directives[DRAFT].number == number
    assert not recording_journal(Project(project), DRAFT).exists()
    return number


def test_two_records_at_once_record_once(example: Path) -> None:
    procs = [
        subprocess.Popen([sys.executable, "-m", "kaskkiri_builder", *RECORD, "--nr", nr], cwd=example,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for nr in ("12", "13")
    ]
    results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes[0] == 0 and codes[1] in (6, 9), results
    loser = next(err for code, err in results if code != 0)
    assert "juba registreeritud" in loser or "projektiga töötab praegu" in loser
    assert "Traceback" not in loser
    assert consistent(example) in ("12", "13")


def test_a_failed_ledger_write_is_finished_by_the_next_command(example: Path, monkeypatch) -> None:
    real = recording._replace_text
    calls: list[Path] = []

    def disk_full_on_the_ledger(path: Path, text: str) -> None:
        calls.append(path)
        if path.name == "ajalugu.yaml":
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, text)

    monkeypatch.setattr(recording, "_replace_text", disk_full_on_the_ledger)
    with pytest.raises(RecordError) as err:
        recording.record(Project(example), DRAFT, "12", date(2026, 1, 20), word_only=True)
    assert "registreerimine katkes (No space left on device): osa muudatusi on tehtud" in err.value.problems[0].message
    assert err.value.changed == "Registreerimine on pooleli; järgmine kaskkiri käsk lõpetab selle."
    assert [p.name for p in calls] == [f"{DRAFT}.yaml", "ajalugu.yaml"]
    assert recording_journal(Project(example), DRAFT).exists()
    assert entries(example) == []  # the ledger has not got it yet: half-recorded

    with pytest.raises(RecordError, match="registreerimine on pooleli"):
        build(Project(example), DRAFT, word_only=True)  # the API refuses a half-recorded one

    monkeypatch.setattr(recording, "_replace_text", real)
    r = cli(example, "build", DRAFT, "--ainult-word")
    assert f"Märkus: lõpetasin katkenud registreerimise: käskkiri {DRAFT}" in r.stderr
    assert consistent(example) == "12"
    assert tree(example / f"output/{DRAFT}") == tree(example / f"arhiiv/{DRAFT}/kinnitatud")


def test_a_run_stopped_after_the_archive_moved_is_finished(example: Path, monkeypatch) -> None:
    """Stopped between the archive's rename and the journal's removal (as a kill would)."""
    real_apply = recording._apply

    def apply_then_die(project: Project, journal: Path) -> Path:
        journal_text = journal.read_text(encoding="utf-8")
        real_apply(project, journal)
        journal.write_text(journal_text, encoding="utf-8")  # as if killed before unlink
        raise OSError(errno.EIO, "killed")

    monkeypatch.setattr(recording, "_apply", apply_then_die)
    with pytest.raises(RecordError):
        recording.record(Project(example), DRAFT, "12", date(2026, 1, 20), word_only=True)
    monkeypatch.setattr(recording, "_apply", real_apply)
    r = cli(example, "check", DRAFT, code=None)  # check reads only: it neither locks nor finishes
    assert "lõpetasin" not in r.stderr
    r = cli(example, "review", DRAFT, code=None)
    assert "lõpetasin katkenud registreerimise" in r.stderr
    assert consistent(example) == "12"


def test_output_that_cannot_be_replaced_says_what_was_recorded(example: Path, monkeypatch) -> None:
    def read_only(*_args: object) -> Path:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(recording, "_publish", read_only)
    with pytest.raises(RecordError) as err:
        recording.record(Project(example), DRAFT, "12", date(2026, 1, 20), word_only=True)
    assert err.value.changed is not None and "jäi endiseks" in err.value.changed
    assert f"definitions/kaskkirjad/{DRAFT}.yaml" in err.value.changed
    assert "Käskkiri on registreeritud" in err.value.problems[0].message
    assert consistent(example) == "12"


def test_a_second_command_waits_then_names_the_holder(example: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from kaskkiri_builder.lock import project_lock\n"
         "with project_lock(Path(sys.argv[1]), 'record 2026-02'):\n"
         "    print('held', flush=True); time.sleep(30)\n", str(example)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(LockError) as err:
            with project_lock(example, "build 2026-02", wait=0.5):
                pass
        message = err.value.problems[0].message
        assert f'"kaskkiri record 2026-02" (protsess {holder.pid}' in message
        assert "Oota, kuni see lõpeb" in message
    finally:
        holder.kill()
        holder.wait()
    with project_lock(example, "build 2026-02", wait=0.5):  # a killed holder leaves no lock
        pass


@pytest.mark.parametrize("delay", [0.8, 1.6, 2.4, 3.2])
def test_a_killed_record_is_all_or_nothing(example: Path, delay: float) -> None:
    """A real SIGKILL at several moments of a real `record`: afterwards, once the next command
    has run, the directive is either recorded consistently or not at all."""
    ledger = (example / "definitions/ajalugu.yaml").read_bytes()
    draft = (example / f"definitions/kaskkirjad/{DRAFT}.yaml").read_bytes()
    proc = subprocess.Popen([sys.executable, "-m", "kaskkiri_builder", *RECORD, "--nr", "12"], cwd=example,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    cli(example, "build", DRAFT, "--ainult-word")  # finishes a recording a kill left half-done
    if (example / f"arhiiv/{DRAFT}").exists():
        assert consistent(example) == "12"
    else:
        assert (example / "definitions/ajalugu.yaml").read_bytes() == ledger
        assert (example / f"definitions/kaskkirjad/{DRAFT}.yaml").read_bytes() == draft
        assert not recording_journal(Project(example), DRAFT).exists()
        assert [p.name for p in (example / "arhiiv").iterdir() if p.name.startswith(f".{DRAFT}.")] == []

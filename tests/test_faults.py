"""Faults a user or the machine can cause: ids that would leave output/, killed builds, folders
that cannot be written, a LibreOffice setting that points nowhere, absurd time limits.

Nothing is cut, half-done or left running: every test runs the real command (kills are real
SIGKILLs of a real `kaskkiri build`) and then looks at the file system and the process table.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kaskkiri_builder import pidfile
from kaskkiri_builder.build import Project, archive_root, build
from kaskkiri_builder.convert import Conversion, start_watchdog
from kaskkiri_builder.errors import DefinitionError, OutputError
from kaskkiri_builder.ids import check_directive_id
from kaskkiri_builder.output import StagedOutput, check_inside
from toolkit import DRAFT, cli, copy_example, make_docx, tree

PATTERN = "^[a-z0-9][a-z0-9-]*$"


def alive(pid: int) -> bool:
    """Running: a zombie nobody has reaped yet has ended."""
    try:
        data = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return data[data.rfind(")") + 2 :].split()[0] not in ("Z", "X")


def watchdogs_of(parent: int) -> list[int]:
    """Live watchdog processes (convert.start_watchdog) started by process `parent`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        is_watchdog = len(argv) > 4 and argv[3].endswith(b"/watchdog.py")
        if is_watchdog and argv[4] == str(parent).encode() and alive(int(entry.name)):
            found.append(int(entry.name))
    return found


def stand_in(path: Path, body: str) -> str:
    """A LibreOffice stand-in: a shell script, started like soffice."""
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return str(path)


def dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    p = subprocess.Popen(["true"])
    p.wait()
    return p.pid


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_example(tmp_path_factory.mktemp("faults") / "projekt")
    r = cli(project, "build", DRAFT, "--ainult-word", code=None)
    assert r.code == 0, r.stderr
    (project / "output/minu-markmed.txt").write_text("ära kustuta\n", encoding="utf-8")
    return project


@pytest.fixture
def built(built_once: Path, tmp_path: Path) -> Path:
    """The example with a good Word build of the draft, and a user's own file in output/."""
    return Path(shutil.copytree(built_once, tmp_path / "projekt", symlinks=True))


# --- 1. a directive id reaches the file system only when it is an id -------------------------


def test_dot_dot_yaml_does_not_delete_output(built: Path) -> None:
    """`definitions/kaskkirjad/..yaml` once made `build .` take output/ itself for the build
    folder (deleting the user's notes); `build ..` took the project root for an archive."""
    shutil.copy(built / f"definitions/kaskkirjad/{DRAFT}.yaml", built / "definitions/kaskkirjad/..yaml")
    before, archive = tree(built / "output"), tree(built / "arhiiv")
    for bad in (".", ".."):
        r = cli(built, "build", bad, "--ainult-word", code=None)
        assert r.code == 2, r.stderr
        assert PATTERN in r.stderr and '"2026-02"' in r.stderr and "Traceback" not in r.stderr
    assert tree(built / "output") == before
    assert tree(built / "arhiiv") == archive
    assert (built / "output/minu-markmed.txt").read_text(encoding="utf-8") == "ära kustuta\n"


@pytest.mark.parametrize("bad", ["x;rm -rf", "Ä b", "../arhiiv", "2026-02/", "2026-02\n", "a_b", ""])
def test_odd_ids_are_refused_by_build(built: Path, bad: str) -> None:
    before = tree(built)
    r = cli(built, "build", bad, "--ainult-word", code=None)
    assert r.code == 2, r.stderr
    assert "käskkirja id" in r.stderr and PATTERN in r.stderr
    assert tree(built) == before
    assert sorted(p.name for p in (built / "output").iterdir()) == [DRAFT, "minu-markmed.txt"]


@pytest.mark.parametrize(
    "args",
    [["check", ".."], ["review", ".."], ["record", "..", "--nr", "5", "--kuupaev", "01.03.2026"]],
    ids=["check", "review", "record"],
)
def test_every_command_checks_the_id(built: Path, args: list[str]) -> None:
    before = tree(built)
    r = cli(built, *args, code=None)
    assert r.code == 2, r.stderr
    assert PATTERN in r.stderr and "Traceback" not in r.stderr
    assert tree(built) == before


def test_the_check_itself() -> None:
    assert check_directive_id("2026-02") == "2026-02"
    for bad in ("..", "2026-02\n", "A", "a b", "a/b", "-a"):
        with pytest.raises(DefinitionError, match="2026-02"):
            check_directive_id(bad)
    with pytest.raises(DefinitionError):
        archive_root(Project(Path("/projekt")), "..")


def test_symlinked_build_folder_is_refused(built: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "muu"
    elsewhere.mkdir()
    (elsewhere / "oluline.txt").write_text("jah\n")
    shutil.rmtree(built / "output" / DRAFT)
    (built / "output" / DRAFT).symlink_to(elsewhere)
    r = cli(built, "build", DRAFT, "--ainult-word", code=None)
    assert r.code == 7, r.stderr
    assert "nimeviide" in r.stderr and f"output/{DRAFT}" in r.stderr
    assert (built / "output" / DRAFT).is_symlink()
    assert sorted(p.name for p in elsewhere.iterdir()) == ["oluline.txt"]
    assert [p.name for p in (built / "output").iterdir() if p.name.startswith(".")] == []


def test_symlinked_output_outside_the_project_is_refused(built: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "valjas"
    shutil.move(built / "output", elsewhere)
    (built / "output").symlink_to(elsewhere)
    before = tree(elsewhere)
    r = cli(built, "build", DRAFT, "--ainult-word", code=None)
    assert r.code == 7, r.stderr
    assert "väljaspool projekti" in r.stderr and str(elsewhere) in r.stderr
    assert tree(elsewhere) == before
    assert [p.name for p in elsewhere.iterdir() if p.name.startswith(".")] == []


def test_paths_outside_the_root_are_never_replaced(tmp_path: Path) -> None:
    root = tmp_path / "output"
    root.mkdir()
    (tmp_path / "keep.txt").write_text("x")
    for outside in (root / "..", root / "a/../..", tmp_path / "keep.txt", root):
        with pytest.raises(OutputError):
            check_inside(outside, root)
        with pytest.raises(OutputError):
            StagedOutput(outside, root=root)
    (root / "link").symlink_to(tmp_path)
    with pytest.raises(OutputError, match="nimeviide"):
        check_inside(root / "link", root)
    assert check_inside(root / "a", root) == root.resolve() / "a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt", "output"]
    assert [p.name for p in root.iterdir()] == ["link"]


def test_recording_publishes_through_no_symbolic_link(tmp_path: Path) -> None:
    """recording._publish replaces output/<id>/ with the approved build: never through a link."""
    from kaskkiri_builder.recording import _publish

    project = tmp_path / "projekt"
    approved = project / "arhiiv/2026-01/kinnitatud"
    approved.mkdir(parents=True)
    (approved / "kaskkiri.docx").write_bytes(b"kinnitatud")
    elsewhere = tmp_path / "muu"
    elsewhere.mkdir()
    (elsewhere / "oluline.txt").write_text("jah\n")
    (project / "output").mkdir()
    (project / "output/2026-01").symlink_to(elsewhere)
    with pytest.raises(OutputError, match="nimeviide"):
        _publish(Project(project), "2026-01", approved)
    assert [p.name for p in elsewhere.iterdir()] == ["oluline.txt"]
    (project / "output/2026-01").unlink()
    assert _publish(Project(project), "2026-01", approved) == (project / "output/2026-01").resolve()
    assert (project / "output/2026-01/kaskkiri.docx").read_bytes() == b"kinnitatud"


def test_a_file_where_the_build_folder_belongs_is_kept(built: Path) -> None:
    shutil.rmtree(built / "output" / DRAFT)
    (built / "output" / DRAFT).write_text("kasutaja fail\n")
    r = cli(built, "build", DRAFT, "--ainult-word", code=None)
    assert r.code == 7, r.stderr
    assert f"output/{DRAFT}" in r.stderr and "fail" in r.stderr
    assert (built / "output" / DRAFT).read_text() == "kasutaja fail\n"


# --- 2. what a killed build leaves is cleared by the next run; LibreOffice dies with it ------


def test_killed_build_leaves_no_libreoffice_and_the_next_run_clears_up(example: Path, tmp_path: Path) -> None:
    temp = tmp_path / "temp"  # a private temp folder: the profiles of this test only
    temp.mkdir()
    pids = tmp_path / "pids"
    hangs = stand_in(tmp_path / "soffice", f"sleep 1000 & echo $! >> {pids}\necho $$ >> {pids}\nwait\n")
    env = {**os.environ, "KASKKIRI_SOFFICE": hangs, "TMPDIR": str(temp)}
    build_proc = subprocess.Popen([sys.executable, "-m", "kaskkiri_builder", "build", DRAFT], cwd=example,
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not (pids.exists() and len(pids.read_text().split()) >= 2):
        assert build_proc.poll() is None, "the build ended before LibreOffice started"
        assert time.monotonic() < deadline, "the stand-in LibreOffice never started"
        time.sleep(0.05)
    [staging] = [p for p in (example / "output").iterdir() if p.name.startswith(f".{DRAFT}.")]
    [profile] = list(temp.glob("kaskkiri-lo-*"))
    assert (staging / ".kaskkiri-pid").read_text().split()[0] == str(build_proc.pid)
    assert watchdogs_of(build_proc.pid)

    build_proc.send_signal(signal.SIGKILL)
    build_proc.wait()
    deadline = time.monotonic() + 5
    started = list(map(int, pids.read_text().split()))
    while (any(alive(p) for p in started) or watchdogs_of(build_proc.pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [p for p in started if alive(p)], "LibreOffice outlived the killed build"
    assert not watchdogs_of(build_proc.pid), "a watchdog outlived its LibreOffice"
    assert staging.is_dir() and profile.is_dir()  # what SIGKILL leaves, until the next run

    r = cli(example, "build", DRAFT, "--ainult-word", env={"TMPDIR": str(temp)}, code=None)
    assert r.code == 0, r.stderr
    assert not staging.exists()
    assert [p.name for p in (example / "output").iterdir()] == [DRAFT]
    fails = stand_in(tmp_path / "fails", "exit 0\n")  # starts, makes no PDF: the build fails
    r = cli(example, "build", DRAFT, env={"TMPDIR": str(temp), "KASKKIRI_SOFFICE": fails}, code=None)
    assert r.code == 4, r.stderr
    assert list(temp.iterdir()) == []  # the killed run's profile and this run's


def test_only_folders_of_ended_runs_are_removed(built: Path) -> None:
    out = built / "output"
    mine = out / f".{DRAFT}.elus"  # a live build's (this test process)
    mine.mkdir()
    pidfile.mark(mine)
    unknown = out / f".{DRAFT}.tundmatu"  # no owner named: never touched
    unknown.mkdir()
    stale = out / ".2026-01.surnud"
    stale.mkdir()
    (stale / ".kaskkiri-pid").write_text(f"{dead_pid()}\n")
    reused = out / ".2026-01.teine"  # a live pid, but another process's start time
    reused.mkdir()
    (reused / ".kaskkiri-pid").write_text(f"{os.getpid()} 1\n")
    moved_aside = out / f".2026-01.old-{dead_pid()}"  # killed between commit()'s two renames
    moved_aside.mkdir()
    (moved_aside / "kaskkiri.docx").write_bytes(b"eelmine")
    r = cli(built, "build", DRAFT, "--ainult-word", code=None)
    assert r.code == 0, r.stderr
    assert mine.is_dir() and unknown.is_dir()
    assert not stale.exists() and not reused.exists() and not moved_aside.exists()
    assert (out / "2026-01/kaskkiri.docx").read_bytes() == b"eelmine"  # put back, not deleted


def test_pid_and_start_time_name_the_owner() -> None:
    me = os.getpid()
    assert pidfile.process_alive(me)
    assert pidfile.process_alive(me, pidfile._start_time(me))
    assert not pidfile.process_alive(me, "1")
    assert not pidfile.process_alive(dead_pid())


def test_watchdog_ends_with_its_group(tmp_path: Path) -> None:
    group = subprocess.Popen(["sleep", "0.3"], start_new_session=True)
    watchdog = start_watchdog(group.pid)
    group.wait()
    assert watchdog.wait(timeout=10) == 0


def test_conversion_ends_its_watchdogs(tmp_path: Path) -> None:
    docx = make_docx(tmp_path / "a.docx", "KÄSKKIRI")
    go = tmp_path / "go"
    waits = stand_in(tmp_path / "s", f"while [ ! -e {go} ]; do sleep 0.05; done\nexit 0\n")
    conversion = Conversion([docx], tmp_path / "pdf", soffice=waits)
    # each batch's process is its watchdog, which started LibreOffice in its own group (a process
    # just started may show an empty command line for a moment: Popen returns once exec began)
    pids = [b.proc.pid for b in conversion.batches]
    deadline = time.monotonic() + 5
    while not set(pids) <= set(watchdogs_of(os.getpid())) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert pids and set(pids) <= set(watchdogs_of(os.getpid()))
    go.touch()
    conversion.wait(missing_ok=True)
    assert conversion.missing == [0]
    assert all(b.proc.returncode == 0 for b in conversion.batches)  # the stand-in's own status
    assert not watchdogs_of(os.getpid())


# --- 3. the build folder's mode, KASKKIRI_SOFFICE, --aegumine ---------------------------------


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_build_folder_honours_the_umask(tmp_path: Path, umask: int) -> None:
    previous = os.umask(umask)
    try:
        with StagedOutput(tmp_path / "output" / DRAFT) as out:
            out.write("a.txt", b"a", "directive")
            out.commit(DRAFT)
    finally:
        os.umask(previous)
    folder = tmp_path / "output" / DRAFT
    assert stat.S_IMODE(folder.stat().st_mode) == 0o777 & ~umask
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt", "manifest.json"]


@pytest.mark.parametrize("kind", ["missing", "not-executable", "folder"])
def test_bad_soffice_setting_is_an_error(built: Path, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "soffice"
    if kind == "not-executable":
        path.write_text("#!/bin/sh\nexit 0\n")
        path.chmod(0o644)
    elif kind == "folder":
        path.mkdir()
    before = tree(built / "output")
    r = cli(built, "build", DRAFT, env={"KASKKIRI_SOFFICE": str(path)}, code=None)
    assert r.code == 4, r.stderr
    assert "KASKKIRI_SOFFICE" in r.stderr and str(path) in r.stderr and "Traceback" not in r.stderr
    assert tree(built / "output") == before


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "3601", "0.5", "1e400"])
def test_absurd_time_limit_is_refused(built: Path, value: str) -> None:
    before = tree(built / "output")
    r = cli(built, "build", DRAFT, "--aegumine", value, code=None)
    assert r.code == 2, r.stderr
    assert "--aegumine" in r.stderr and "3600" in r.stderr and "Traceback" not in r.stderr
    assert tree(built / "output") == before


# --- 4. a folder that cannot be written: one Estonian message naming it -----------------------


@contextmanager
def read_only(folder: Path) -> Iterator[str]:
    """`folder` made unwritable: chmod for a normal user; root ignores modes, so the immutable
    attribute (chattr +i) then. Yields which was used."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield "chmod"
        finally:
            folder.chmod(0o755)
        return
    subprocess.run(["chattr", "+i", str(folder)], check=True)
    try:
        yield "chattr"
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_read_only_output(built: Path) -> None:
    out = built / "output"
    before = tree(out)
    with read_only(out):
        r = cli(built, "build", DRAFT, "--ainult-word", code=None)
    assert r.code == 7, r.stderr
    assert f"{out}: väljundit ei saanud kirjutada: kirjutamisõigus puudub" in r.stderr
    assert "Traceback" not in r.stderr
    assert tree(out) == before


def test_a_file_where_output_belongs(example: Path) -> None:
    (example / "output").write_text("kasutaja fail\n")
    r = cli(example, "build", DRAFT, "--ainult-word", code=None)
    assert r.code == 7, r.stderr
    assert str(example / "output") in r.stderr and "kus peaks olema kaust" in r.stderr
    assert (example / "output").read_text() == "kasutaja fail\n"


def test_disk_full(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ENOSPC injected in-process: os.replace fails for the files the build writes."""
    out = built / "output"
    before = tree(out)
    real_replace = os.replace

    def full(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if Path(dst).name.endswith(".docx"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OutputError) as caught:
        build(Project(built), DRAFT, word_only=True, checks=False)
    [problem] = caught.value.problems
    assert "kettal pole vaba ruumi" in problem.message
    assert str(problem.file).endswith("kaskkiri.docx") and str(out) in str(problem.file)
    assert caught.value.exit_code == 7
    assert tree(out) == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []

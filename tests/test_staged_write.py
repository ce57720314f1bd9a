"""staged_write.py: many files all or none, an existing file kept unless it may be replaced."""

from __future__ import annotations

import pytest

from kaskkiri_builder.errors import DefinitionError, OutputError
from kaskkiri_builder.staged_write import NewFile, write_all_new


def _leftovers(folder):
    return [p.name for p in folder.iterdir() if p.name.startswith(".kaskkiri")]


def test_all_files_written_and_a_replaceable_one_replaced(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a/vana.yaml").write_text("vana\n", encoding="utf-8")
    files = [NewFile(tmp_path / "a/uus.yaml", "uus\n", "a/uus.yaml"),
             NewFile(tmp_path / "b/c/sügav.yaml", "sügav õ\n", "b/c/sügav.yaml"),
             NewFile(tmp_path / "a/vana.yaml", "asendatud\n", "a/vana.yaml", replace=True)]
    write_all_new(files, tmp_path)
    assert [f.path.read_text(encoding="utf-8") for f in files] == ["uus\n", "sügav õ\n", "asendatud\n"]
    assert _leftovers(tmp_path) == []


def test_an_existing_file_refuses_the_whole_set_before_anything_is_written(tmp_path):
    (tmp_path / "olemas.yaml").write_text("vana\n", encoding="utf-8")
    (tmp_path / "kaks.yml").write_text("x\n", encoding="utf-8")
    files = [NewFile(tmp_path / "uus.yaml", "uus\n", "uus.yaml"),
             NewFile(tmp_path / "olemas.yaml", "uus\n", "olemas.yaml"),
             NewFile(tmp_path / "kaks.yaml", "uus\n", "kaks.yaml", replace=True)]
    with pytest.raises(DefinitionError) as err:
        write_all_new(files, tmp_path)
    assert [p.file for p in err.value.problems] == ["olemas.yaml", "kaks.yaml"]
    assert not (tmp_path / "uus.yaml").exists()
    assert (tmp_path / "olemas.yaml").read_text(encoding="utf-8") == "vana\n"
    assert _leftovers(tmp_path) == []


def test_a_failure_part_way_puts_back_what_was_there(tmp_path):
    (tmp_path / "vana.yaml").write_text("vana\n", encoding="utf-8")
    (tmp_path / "fail").write_text("a file where a folder should be\n", encoding="utf-8")
    files = [NewFile(tmp_path / "uus.yaml", "uus\n", "uus.yaml"),
             NewFile(tmp_path / "vana.yaml", "asendatud\n", "vana.yaml", replace=True),
             NewFile(tmp_path / "fail/sees.yaml", "x\n", "fail/sees.yaml")]
    with pytest.raises(OutputError) as err:
        write_all_new(files, tmp_path)
    assert err.value.problems[0].file == "fail/sees.yaml"
    assert not (tmp_path / "uus.yaml").exists()
    assert (tmp_path / "vana.yaml").read_text(encoding="utf-8") == "vana\n"
    assert _leftovers(tmp_path) == []

"""The one atomic write: a file is replaced whole, or left as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.files import write_atomically


def test_a_file_is_written_and_replaced_whole(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "index.json"
    write_atomically(path, '{"a": 1}')
    write_atomically(path, b"\x00binary")
    assert path.read_bytes() == b"\x00binary"
    assert [p.name for p in path.parent.iterdir()] == ["index.json"]  # no part left over


def test_a_failed_write_leaves_the_old_file_and_no_part(tmp_path: Path) -> None:
    path = tmp_path / "index.json"
    write_atomically(path, "old")
    with pytest.raises(TypeError):
        write_atomically(path, 42)  # type: ignore[arg-type]  (not bytes: nothing is written)
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["index.json"]

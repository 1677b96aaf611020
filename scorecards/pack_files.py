"""Writing a committee pack's files so that no half-written file is ever at its final name.

Each file goes to a hidden temporary file in the same directory, is flushed to disk, then renamed
over the final name (``os.replace`` is atomic on one filesystem). A worker killed mid-write leaves
only a temporary file, which the next build of the same pack sweeps away; the download view serves
only the final names of a pack marked ready, so a reader never sees a partial PDF or XLSX.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.files.storage import Storage

PARTIAL_PREFIX = ".partial-"


def write_atomically(path: Path, content: bytes) -> Path:
    """Write ``content`` to ``path`` through a temporary file and a rename; returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=PARTIAL_PREFIX, suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def save_to_storage(storage: Storage, name: str, content: bytes) -> str:
    """Put ``content`` at ``name`` in the media storage, replacing what was there, atomically.

    The storage is the local filesystem (settings.STORAGES, shared by web and worker), so its
    ``path`` is where the file lives; a remote storage would need its own atomic upload.
    """
    write_atomically(Path(storage.path(name)), content)
    return name


def sweep_partial_files(storage: Storage, directory: str) -> int:
    """Remove temporary files left by a build whose worker died mid-write; returns how many."""
    folder = Path(storage.path(directory))
    if not folder.is_dir():
        return 0
    removed = 0
    for leftover in folder.glob(f"{PARTIAL_PREFIX}*"):
        leftover.unlink(missing_ok=True)
        removed += 1
    return removed

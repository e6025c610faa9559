"""A short hash of a knowledge folder, to trace what is in force (/metrics, /readyz) and
which knowledge produced a decision record."""
from __future__ import annotations

import hashlib
from pathlib import Path


def fingerprint(directory: Path) -> str:
    """12 hex digits over every file in the folder (names and contents)."""
    digest = hashlib.sha256()
    root = Path(directory)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:12]

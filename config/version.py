"""The application's version as snapshots record it: pyproject's version and the checked-out commit."""

from __future__ import annotations

import functools
import os
import tomllib
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def _commit() -> str:
    """The checked-out commit, read from .git without running git (empty outside a checkout)."""
    git = BASE_DIR / ".git"
    try:
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head[:12]
        ref = head[5:]
        if (git / ref).is_file():
            return (git / ref).read_text().strip()[:12]
        for line in (git / "packed-refs").read_text().splitlines():
            if line.endswith(" " + ref):
                return line.split()[0][:12]
    except OSError:
        pass
    return ""


@functools.cache
def app_version() -> str:
    """e.g. "0.1.0+4fcfba4c1d2e"; DJANGO_APP_VERSION overrides (a deployment without .git)."""
    if os.environ.get("DJANGO_APP_VERSION"):
        return os.environ["DJANGO_APP_VERSION"][:100]
    version = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]["version"]
    commit = _commit()
    return f"{version}+{commit}" if commit else version

"""A web worker's start (config/startup.py): every view and template loaded, then frozen."""

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from config import startup

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def unfrozen():
    yield
    gc.unfreeze()


def test_every_project_template_is_listed():
    names = startup._project_templates()
    assert "archive/search.html" in names
    assert "base.html" in names


def test_load_and_freeze_moves_the_loaded_objects_out_of_collections(unfrozen):
    gc.unfreeze()
    startup.load_and_freeze()
    assert gc.get_freeze_count() > 10_000
    assert gc.get_count()[0] < 700  # the young generation starts empty after the freeze


def test_the_wsgi_entry_point_freezes():
    """gunicorn imports config.wsgi in each worker: the objects are frozen before the first request."""
    code = "import gc, config.wsgi; print(gc.get_freeze_count())"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert int(out.stdout.strip().splitlines()[-1]) > 10_000

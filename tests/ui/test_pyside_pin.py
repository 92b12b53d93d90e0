"""PySide6 is pinned to 6.11.3: 6.12.0 aborts CPython 3.11 when data() returns None through C++."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

PROBE = Path(__file__).with_name("none_model_probe.py")


def test_the_pinned_pyside6_is_installed() -> None:
    assert metadata.version("pyside6-essentials") == "6.11.3"


def test_a_model_returning_none_many_thousand_times_does_not_crash() -> None:
    result = subprocess.run(
        [sys.executable, str(PROBE), "40"], capture_output=True, text=True, timeout=300, check=False
    )
    assert "none_dealloc" not in result.stderr
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ok 8000"

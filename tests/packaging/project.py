"""What the packaging tests share: the checkout's root, its version, and packaging/bundle_data.py."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return str(tomllib.load(f)["project"]["version"])


def bundle_data() -> ModuleType:
    """packaging/bundle_data.py, loaded by path: `packaging` is also the name of a PyPI package."""
    spec = importlib.util.spec_from_file_location("feltkonsulent_bundle_data", PACKAGING / "bundle_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

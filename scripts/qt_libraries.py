"""The system libraries PySide6's Qt needs on Linux, found by `ldd`, not by a list kept by hand.

    python scripts/qt_libraries.py check     # name what is missing; exit 1 if anything is
    python scripts/qt_libraries.py install   # as root with apt: install it; else print the line
    python scripts/qt_libraries.py display   # exit 0 when the X server in DISPLAY answers

Run it with the venv's Python (setup.sh, test.sh and screenshots.sh do): it finds the PySide6
that venv holds without importing it (an import fails when a library is missing, which is what
this script is for).

What is checked: the Qt modules the app imports and the two platform plugins it starts on,
`offscreen` (tests) and `xcb` (a real X11 display, Xvfb too), with the GL integrations the xcb
plugin loads. `ldd` resolves the whole tree (the plugin, libQt6XcbQpa, libQt6Gui, ...) and prints
`libfoo.so.N => not found` for each library the dynamic linker cannot find.

xcb-cursor: since Qt 6.5 the xcb plugin needs libxcb-cursor.so.0. In PySide6 6.11's wheels it is
a DT_NEEDED entry of libQt6XcbQpa.so.6 (`readelf -d`), not a dlopen: ldd names it like any other
library, and the library files hold no other library name to dlopen (`readelf -p .rodata`). When
the xcb plugin fails to load for any reason, QtGui prints "From 6.5.0, xcb-cursor0 or
libxcb-cursor0 is needed to load the Qt xcb platform plugin." even when xcb-cursor is installed
and something else is missing (libxcb-icccm4, libxcb-keysyms1 on a fresh Debian): do not trust
that hint, trust this script.

Not checked: the optional plugins Qt skips silently when they do not load (the GTK platform
theme, image formats), and the Wayland plugin (Qt falls back to xcb without it).

A soname is mapped to its Debian package by apt-file where it is installed, else by Debian's
library package naming policy (Policy 8.1: libfoo.so.N is in libfooN, libfoo2.so.N in libfoo2-N,
lowercase), each name checked with `apt-cache policy`; variants cover the exceptions that are
common (libglib-2.0.so.0 is in libglib2.0-0; Debian 13's 64-bit time_t packages end in t64).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

# The Qt modules src/feltkonsulent imports (`grep -rho "from PySide6.Qt[A-Za-z]*" src`).
MODULES = ("QtCore", "QtGui", "QtWidgets", "QtNetwork", "QtPdf", "QtPdfWidgets", "QtPrintSupport")
PLUGINS = ("platforms/libqoffscreen.so", "platforms/libqxcb.so", "xcbglintegrations/*.so")
MAX_ROUNDS = 5  # an installed library may need another one: ldd again, until nothing is missing
NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)
APT_ENV = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}


def pyside_dir() -> Path | None:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def checked_files(pyside: Path) -> list[Path]:
    files = [f for name in MODULES for f in sorted(pyside.glob(f"{name}.*.so"))]
    for pattern in PLUGINS:
        found = sorted((pyside / "Qt" / "plugins").glob(pattern))
        if not found:
            raise SystemExit(f"qt_libraries: no {pattern} in {pyside}: is PySide6 installed whole?")
        files += found
    return files


def missing_sonames(files: list[Path]) -> list[str]:
    """Every soname ldd cannot resolve for these files, each once, in the order ldd names them."""
    missing: dict[str, None] = {}
    for file in files:
        result = subprocess.run(["ldd", str(file)], capture_output=True, text=True, check=False)
        for soname in NOT_FOUND.findall(result.stdout):
            missing[soname] = None
    return list(missing)


def policy_names(soname: str) -> list[str]:
    """Debian's package names for a soname, the policy's first, then the common variants."""
    match = re.fullmatch(r"(.+?)\.so\.(\d+)(?:\..*)?", soname)
    if not match:
        return []
    name, version = match.group(1).lower(), match.group(2)
    first = f"{name}-{version}" if name[-1].isdigit() else f"{name}{version}"
    names = [first]
    squeezed = re.sub(r"-(?=\d)", "", name)  # libglib-2.0 -> libglib2.0
    if squeezed != name:
        names.append(f"{squeezed}-{version}" if squeezed[-1].isdigit() else f"{squeezed}{version}")
    names += [n.replace("_", "-") for n in names if "_" in n]
    return [variant for n in names for variant in (n, f"{n}t64")]


def apt_file_names(soname: str) -> list[str]:
    if not shutil.which("apt-file"):
        return []
    result = subprocess.run(["apt-file", "search", "--regexp", f"/lib/.*/{re.escape(soname)}$"],
                            capture_output=True, text=True, check=False)
    return list(dict.fromkeys(line.split(":", 1)[0] for line in result.stdout.splitlines() if ":" in line))


def installable(names: list[str]) -> set[str]:
    """Which of these names apt can install (a real package with a candidate version): one
    `apt-cache policy` for all of them, as each call reads the whole package list (~1 s)."""
    if not names:
        return set()
    result = subprocess.run(["apt-cache", "policy", *names], capture_output=True, text=True, check=False)
    blocks = re.findall(r"^(\S+):\n\s+Installed: .*\n\s+Candidate: (.+)$", result.stdout, re.MULTILINE)
    return {name for name, candidate in blocks if candidate.strip() != "(none)"}


def packages_for(sonames: list[str]) -> dict[str, str | None]:
    """Each soname's Debian package, None where none is found (or there is no apt)."""
    if not shutil.which("apt-cache"):
        return dict.fromkeys(sonames)
    candidates = {s: apt_file_names(s) + policy_names(s) for s in sonames}
    known = installable(list(dict.fromkeys(n for names in candidates.values() for n in names)))
    return {s: next((n for n in names if n in known), None) for s, names in candidates.items()}


def describe(sonames: list[str], packages: dict[str, str | None]) -> str:
    return ", ".join(f"{s} (Debian package {packages[s]})" if packages.get(s) else s for s in sonames)


def can_install() -> bool:
    return os.name == "posix" and os.geteuid() == 0 and shutil.which("apt-get") is not None


def install(files: list[Path]) -> int:
    missing = missing_sonames(files)
    if not missing:
        return 0  # the usual case: no apt at all
    if not can_install():
        packages = packages_for(missing)
        print(f"qt_libraries: Qt cannot load without {describe(missing, packages)}", file=sys.stderr)
        print(install_hint(packages), file=sys.stderr)
        return 1
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=APT_ENV)
    for _round in range(MAX_ROUNDS):
        packages = packages_for(missing)
        wanted = list(dict.fromkeys(p for p in packages.values() if p))
        if not wanted:
            # A soname the naming policy does not cover (libgthread-2.0.so.0 is in libglib2.0-0)
            # mostly comes with another one's package; here nothing else is left to install.
            print(f"qt_libraries: no Debian package found for {', '.join(missing)} "
                  "(install apt-file and run `apt-file update` to look them up)", file=sys.stderr)
            return 1
        print(f"qt_libraries: installing {' '.join(wanted)} (for {describe(missing, {})})")
        subprocess.run(["apt-get", "install", "-y", "-qq", *wanted], check=True, env=APT_ENV,
                       stdout=subprocess.DEVNULL)
        still = missing_sonames(files)
        if not still:
            return 0
        found_for = {s for s, p in packages.items() if p}
        if found_for & set(still):
            print(f"qt_libraries: still missing after installing {' '.join(wanted)}: "
                  f"{', '.join(sorted(found_for & set(still)))}", file=sys.stderr)
            return 1
        missing = still
    print(f"qt_libraries: still missing after {MAX_ROUNDS} rounds: {', '.join(missing)}", file=sys.stderr)
    return 1


def install_hint(packages: dict[str, str | None]) -> str:
    found = list(dict.fromkeys(p for p in packages.values() if p))
    unknown = [s for s, p in packages.items() if p is None]
    lines = []
    if found:
        lines.append("  run: sudo apt-get install " + " ".join(found))
    if unknown:
        lines.append(f"  no package name found for {', '.join(unknown)}"
                     + (" (it may come with the packages above)" if found else "")
                     + ": `apt-file search SONAME` names the package")
    return "\n".join(lines)


def check(files: list[Path]) -> int:
    missing = missing_sonames(files)
    if not missing:
        return 0
    packages = packages_for(missing)
    print(f"Qt's libraries are incomplete: ldd finds no {describe(missing, packages)}.\n"
          "  Without them the window cannot open on a display. Run `bash scripts/setup.sh` as root, or:\n"
          + install_hint(packages), file=sys.stderr)
    return 1


def display_answers() -> bool:
    """True when the X server named in DISPLAY accepts a connection (what Qt's xcb plugin does
    first; without it Qt aborts with the misleading xcb-cursor hint). True too when libX11 is not
    there to ask: then Qt is left to say what is wrong."""
    name = ctypes.util.find_library("X11")
    if not name:
        return True
    xlib = ctypes.cdll.LoadLibrary(name)
    xlib.XOpenDisplay.restype = ctypes.c_void_p
    xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    connection = xlib.XOpenDisplay(None)  # None: the one in DISPLAY
    if not connection:
        return False
    xlib.XCloseDisplay(connection)
    return True


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in ("check", "install", "display"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    if argv[0] == "display":
        return 0 if display_answers() else 1
    if not sys.platform.startswith("linux") or not shutil.which("ldd"):
        return 0  # macOS and Windows: the wheels carry what Qt needs
    pyside = pyside_dir()
    if pyside is None:
        print("qt_libraries: PySide6 is not installed in this Python (run scripts/setup.sh)", file=sys.stderr)
        return 1
    files = checked_files(pyside)
    return install(files) if argv[0] == "install" else check(files)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

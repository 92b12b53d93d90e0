"""The real window on a real X server: `feltkonsulent --db` on Qt's xcb plugin under Xvfb.

Every other UI test runs offscreen, where Qt needs none of the xcb libraries: this is the one test
that fails when the window could not open on a user's display (a library setup.sh did not
install, a crash on xcb). It starts its own Xvfb on a free display number, makes a demo database
with the command line, starts the app as scripts/start.sh does (the password in
FELTKONSULENT_PASSPHRASE, so no keyring is asked), waits for the main window to be mapped, takes
a screenshot with xwd and checks that the window is drawn, then closes it as the window's X would
(WM_DELETE_WINDOW) and checks that the app ended with status 0 and wrote nothing to stderr.

Needs Xvfb, xdotool and xwd (setup.sh --tests installs them as root with apt); without them the
test is skipped, or fails where FELTKONSULENT_REQUIRE_XVFB=1 (scripts/test.sh sets it where it
could install them).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .project import ROOT
from .xwd import Screen, read_xwd

REQUIRE_ENV = "FELTKONSULENT_REQUIRE_XVFB"
TOOLS = ("Xvfb", "xdotool", "xwd")
SCREEN = (1280, 800)
TITLE = "^Feltkonsulent$"
PASSPHRASE = "display-test-adgangskode"
START_SECONDS = 30.0  # the window is mapped in about 3 s; a loaded CI machine gets more
CLOSE_SECONDS = 10.0
MIN_COLOURS = 50  # text is antialiased: a drawn window has hundreds, a blank one 1 or 2
MAX_SHARE_OF_ONE_COLOUR = 0.95


def _missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


@pytest.fixture(scope="module")
def x_display(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh Xvfb on the first free display number (Xvfb picks it: -displayfd), local only."""
    missing = _missing_tools()
    if not sys.platform.startswith("linux") or missing:
        reason = f"no {', '.join(missing) or 'X server'} here (Debian: apt-get install xvfb xdotool x11-apps)"
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{reason} and {REQUIRE_ENV}=1")
        pytest.skip(reason)
    log = tmp_path_factory.mktemp("xvfb") / "xvfb.log"
    read_end, write_end = os.pipe()
    with log.open("wb") as out:
        server = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_end), "-nolisten", "tcp",
             "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24"],
            pass_fds=(write_end,), stdout=out, stderr=subprocess.STDOUT)
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as number:
            written = number.readline().strip()  # written once the server accepts connections
        assert written.isdigit(), f"Xvfb did not start: {log.read_text(errors='replace')}"
        yield f":{written.decode()}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _env(home: Path, display: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items()
            if not k.startswith(("FELTKONSULENT_", "XDG_", "QT_", "WAYLAND_"))}
    runtime = home / "runtime"
    runtime.mkdir(mode=0o700)
    return {
        **keep,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_RUNTIME_DIR": str(runtime),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "FELTKONSULENT_PASSPHRASE": PASSPHRASE,
        "QT_QPA_PLATFORM": "xcb",
        "DISPLAY": display,
    }


def _feltkonsulent() -> str:
    """The venv's entry point, the command the README and scripts/start.sh run."""
    beside = Path(sys.executable).parent / "feltkonsulent"
    return str(beside) if beside.exists() else shutil.which("feltkonsulent") or "feltkonsulent"


def _visible_windows(env: dict[str, str]) -> list[str]:
    found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", TITLE],
                           env=env, capture_output=True, text=True, timeout=10, check=False)
    return found.stdout.split()


def _geometry(env: dict[str, str], window: str) -> dict[str, int]:
    shell = subprocess.run(["xdotool", "getwindowgeometry", "--shell", window],
                           env=env, capture_output=True, text=True, timeout=10, check=True)
    pairs = (line.split("=", 1) for line in shell.stdout.splitlines() if "=" in line)
    return {key: int(value) for key, value in pairs}


def _screenshot(env: dict[str, str]) -> Screen:
    dump = subprocess.run(["xwd", "-root", "-silent"], env=env, capture_output=True, timeout=20, check=True)
    return read_xwd(dump.stdout)


def _close_as_the_window_x(display: str, window: str) -> None:
    """What a window manager sends when the user clicks the window's X: a WM_DELETE_WINDOW client
    message (Xvfb has no window manager, and this xdotool has no `windowquit`)."""

    class ClientMessage(ctypes.Structure):
        _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
                    ("display", ctypes.c_void_p), ("window", ctypes.c_ulong),
                    ("message_type", ctypes.c_ulong), ("format", ctypes.c_int),
                    ("data", ctypes.c_long * 5)]

    class XEvent(ctypes.Union):
        _fields_ = [("xclient", ClientMessage), ("pad", ctypes.c_long * 24)]

    xlib = ctypes.cdll.LoadLibrary(ctypes.util.find_library("X11") or "libX11.so.6")
    xlib.XOpenDisplay.restype = ctypes.c_void_p
    xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    xlib.XInternAtom.restype = ctypes.c_ulong
    xlib.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    xlib.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long,
                                ctypes.POINTER(XEvent)]
    xlib.XFlush.argtypes = [ctypes.c_void_p]
    xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    connection = xlib.XOpenDisplay(display.encode())
    assert connection, f"cannot connect to {display}"
    try:
        event = XEvent()
        event.xclient.type = 33  # ClientMessage
        event.xclient.window = int(window)
        event.xclient.message_type = xlib.XInternAtom(connection, b"WM_PROTOCOLS", 0)
        event.xclient.format = 32
        event.xclient.data[0] = xlib.XInternAtom(connection, b"WM_DELETE_WINDOW", 0)
        event.xclient.data[1] = 0  # CurrentTime
        assert xlib.XSendEvent(connection, int(window), 0, 0, ctypes.byref(event))
        xlib.XFlush(connection)
    finally:
        xlib.XCloseDisplay(connection)


def _libraries_missing() -> str:
    """What scripts/qt_libraries.py says of Qt's libraries here: Qt's own message may name the
    wrong one (its xcb-cursor hint)."""
    checked = subprocess.run([sys.executable, str(ROOT / "scripts" / "qt_libraries.py"), "check"],
                             capture_output=True, text=True, timeout=60, check=False)
    return f"\nscripts/qt_libraries.py check: {checked.stderr or 'nothing missing'}"


def _wait_for_window(app: subprocess.Popen[bytes], env: dict[str, str], stderr: Path) -> str:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        code = app.poll()
        assert code is None, (f"the app ended ({code}) before its window opened:\n{stderr.read_text()}"
                              f"{_libraries_missing()}")
        windows = _visible_windows(env)
        if windows:
            assert len(windows) == 1, f"more than one window titled Feltkonsulent: {windows}"
            return windows[0]
        time.sleep(0.2)
    pytest.fail(f"no window titled Feltkonsulent within {START_SECONDS:.0f} s:\n{stderr.read_text()}")


def _drawn_window(env: dict[str, str], box: dict[str, int], shot: Path) -> Screen:
    """The window's part of the screen once it is drawn (the first paint may follow the map)."""
    deadline = time.monotonic() + START_SECONDS
    while True:
        screen = _screenshot(env)
        window = screen.crop(box["X"], box["Y"], box["WIDTH"], box["HEIGHT"])
        colours = window.colours()
        if len(colours) >= MIN_COLOURS or time.monotonic() > deadline:
            screen.write_png(shot)
            return window
        time.sleep(0.3)


def test_the_window_opens_on_xcb_is_drawn_and_closes_cleanly(
        x_display: str, tmp_path: Path) -> None:
    env = _env(tmp_path, x_display)
    db = tmp_path / "demo.db"
    made = subprocess.run([_feltkonsulent(), "demo", "--db", str(db), "--records", "5"],
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert made.returncode == 0, made.stderr

    stderr = tmp_path / "app.stderr"
    with stderr.open("wb") as err:
        app = subprocess.Popen([_feltkonsulent(), "--db", str(db)], env=env,
                               stdout=subprocess.DEVNULL, stderr=err)
    try:
        window = _wait_for_window(app, env, stderr)
        box = _geometry(env, window)
        assert box["WIDTH"] >= 800 and box["HEIGHT"] >= 500, box

        shot = tmp_path / "screen.png"
        drawn = _drawn_window(env, box, shot)
        colours = drawn.colours()
        share = colours.most_common(1)[0][1] / (drawn.width * drawn.height)
        assert len(colours) >= MIN_COLOURS and share <= MAX_SHARE_OF_ONE_COLOUR, (
            f"the window looks blank ({len(colours)} colours, one colour on {share:.0%}): see {shot}")
        assert app.poll() is None, f"the app ended after its window opened:\n{stderr.read_text()}"

        _close_as_the_window_x(x_display, window)
        code = app.wait(timeout=CLOSE_SECONDS)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
    assert code == 0, f"the app ended with {code}:\n{stderr.read_text()}"
    assert stderr.read_text() == "", f"the app wrote to stderr on xcb:\n{stderr.read_text()}"

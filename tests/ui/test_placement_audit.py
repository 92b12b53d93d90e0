"""Opening a placement is a use of its citizen's data: the row opened from the list (Enter) and
its agreement's preview each write an audit row naming the placement and its citizen, never the
CPR number nor a note."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from feltkonsulent.services.workspace import Workspace
from feltkonsulent.ui.agreement import AgreementDialog
from feltkonsulent.ui.placement import PlacementDialog
from tests.ui.test_controls import CTRL, click_row, open_dialog, registered
from tests.ui.windows import shown_window


def placement_reads(ws: Workspace) -> list[tuple[str, str, str | None]]:
    ws.store.flush_audit()
    if ws.door is not None:  # the window's: its writer writes the rows it was handed, in order
        ws.door.run(lambda _writer: None)
    rows = ws.store.conn.execute(
        "SELECT row_id, citizen_id, fields FROM audit_log "
        "WHERE action = 'read' AND entity = 'placements' ORDER BY id").fetchall()
    return [tuple(r) for r in rows]


def test_opening_a_placement_from_the_list_and_its_agreement_are_audited(
        qtbot: QtBot, workspace: Workspace) -> None:
    (r,) = registered(workspace)
    window = shown_window(qtbot, workspace)
    qtbot.keyClick(window, Qt.Key.Key_4, CTRL)
    row_id = click_row(qtbot, window, window.placements, 0)
    assert row_id == r.placement.id and placement_reads(workspace) == []  # the list: its own rows
    qtbot.keyClick(window.placements.table, Qt.Key.Key_Return)
    dialog = open_dialog(qtbot, window, PlacementDialog)
    assert isinstance(dialog, PlacementDialog)
    assert placement_reads(workspace) == [(r.placement.id, r.citizen.id, None)]
    qtbot.mouseClick(dialog.agreement.print_button, Qt.MouseButton.LeftButton)
    preview = open_dialog(qtbot, dialog, AgreementDialog)
    qtbot.waitUntil(lambda: len(placement_reads(workspace)) == 2)
    assert placement_reads(workspace)[1] == (r.placement.id, r.citizen.id, None)
    preview.close()
    dialog.close()
    everything = json.dumps(workspace.store.conn.execute("SELECT * FROM audit_log").fetchall())
    assert r.citizen.cpr is not None and r.citizen.cpr not in everything
    assert r.citizen.cpr.replace("-", "") not in everything

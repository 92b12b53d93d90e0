""""Dubletter": the citizens and companies that are there twice (made on two laptops offline),
side by side with what differs, and the merge into the one the consultant keeps."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from feltkonsulent.domain.entities import Citizen, Company
from feltkonsulent.domain.errors import DomainError, ValidationError
from feltkonsulent.i18n import _, format_date, format_number, ngettext
from feltkonsulent.services import duplicates
from feltkonsulent.services.duplicates import Group, MergePlan
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.ui.labels import label
from feltkonsulent.ui.records import citizen_fields, company_fields
from feltkonsulent.ui.tasks import BackgroundTasks

# A merge or a sync that changed any of these may have made or resolved duplicates.
SHOWS = frozenset({"citizens", "companies", "placements", "contacts"})


def _field_labels(group: Group) -> dict[str, str]:
    fields = citizen_fields() if group.kind == duplicates.CITIZENS else company_fields()
    return {f.name: f.label for f in fields}


def _shown(value: object) -> str:
    if value is None or value == "" or value == ():
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, StrEnum):
        return label(value)
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, tuple):
        return "\n".join(str(v) for v in value)
    return str(value)


def group_title(group: Group) -> str:
    """"Amina Hassan · CPR 211062-xxxx (2)": never the full CPR number."""
    record = group.members[0].record
    n = len(group.members)
    if isinstance(record, Citizen):
        return _("Citizen {name} · CPR {cpr} ({n})").format(
            name=record.name, cpr=record.masked_cpr, n=n)
    assert isinstance(record, Company)
    if record.p_number:
        return _("Company {name} · CVR {cvr}, P-number {p} ({n})").format(
            name=record.name, cvr=record.cvr, p=record.p_number, n=n)
    return _("Company {name} · CVR {cvr}, no P-number ({n})").format(
        name=record.name, cvr=record.cvr, n=n)


def _refusal(error: DomainError) -> str:
    return {
        "merge_self": _("A record cannot be merged with itself."),
        "not_duplicates": _("These records are not the same citizen or company (the CPR number, "
                            "or the CVR number and P-number, differ)."),
        "other_team": _("A record of another team cannot be merged here."),
        "unknown_reference": _("One of the records was deleted meanwhile (perhaps by a sync). "
                               "The list is shown again."),
    }.get(error.code, _("The records could not be merged."))


class DuplicatesPage(QWidget):
    """The groups on the left; the chosen group's records side by side (fields that differ in
    bold), which to keep, and "Merge…", which asks before it merges."""

    merged = Signal()  # records were written: the window refreshes what they change

    def __init__(self, ws: Workspace, quick: BackgroundTasks, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.ws = ws
        self._quick = quick
        self._item: QListWidgetItem | None = None
        self._groups: list[Group] = []
        self._confirmation: QMessageBox | None = None

        heading = QLabel(_("Duplicates"))
        heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        intro = QLabel(_(
            "After a sync, the same citizen or company may be here twice, made on two laptops. "
            "Choose the record to keep: the other's placements (with their visit notes and "
            "agreements) and contact persons move to it, fields it lacks are filled in from the "
            "other, and the other is deleted."))
        intro.setWordWrap(True)
        self.groups = QListWidget()
        self.groups.setObjectName("duplicate_groups")
        self.groups.currentRowChanged.connect(self._show_group)
        self.groups.setMaximumWidth(340)
        self.groups.setWordWrap(True)
        self.empty = QLabel(_("No duplicates."))
        self.empty.setObjectName("no_duplicates")
        self.comparison = QTableWidget()
        self.comparison.setObjectName("comparison")
        self.comparison.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.comparison.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.comparison.setWordWrap(True)  # names and notes whole, over lines, not cut off
        self.comparison.setTextElideMode(Qt.TextElideMode.ElideNone)
        # Rows as high as their wrapped text, whatever width the columns get.
        self.comparison.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.legend = QLabel(_("Fields that differ are in bold."))
        self.keep_row = QHBoxLayout()
        self.keep_row.addStretch(1)  # the buttons as wide as their text: a click beside it misses
        self.keep = QButtonGroup(self)
        self.keep.buttonToggled.connect(self._kept_chosen)
        self.merge_button = QPushButton(_("Merge…"))
        self.merge_button.setObjectName("merge")
        self.merge_button.setEnabled(False)
        self.merge_button.clicked.connect(self._confirm)
        self.done = QLabel()
        self.done.setObjectName("merged")
        self.done.setWordWrap(True)

        right = QVBoxLayout()
        right.addWidget(self.comparison, 1)
        right.addWidget(self.legend)
        right.addLayout(self.keep_row)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.merge_button)
        right.addLayout(buttons)
        left = QVBoxLayout()
        left.addWidget(self.groups, 1)
        left.addWidget(self.empty)
        body = QHBoxLayout()
        body.addLayout(left)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(self.done)
        layout.addLayout(body, 1)

    # -- the navigation entry and its count ---------------------------------------------------
    def attach(self, navigation: QListWidget) -> None:
        """Add the page's entry to the window's navigation; it says how many groups there are."""
        self._item = QListWidgetItem(_("Duplicates"))
        navigation.addItem(self._item)
        self.refresh(None)

    def refresh(self, changed: frozenset[str] | None) -> None:
        """After a save, a merge or a sync: count again (in the background) and, when shown,
        read the groups again."""
        if changed is not None and not SHOWS & changed:
            return
        self._quick.submit(duplicates.count, self.show_count)
        if self.isVisible():
            self.reload()

    def show_count(self, count: int) -> None:
        if self._item is None:
            return
        self._item.setText(_("Duplicates ({n})").format(n=count) if count else _("Duplicates"))
        font = self._item.font()
        font.setBold(bool(count))
        self._item.setFont(font)

    # -- the groups -----------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.reload()

    def reload(self) -> None:
        """Read the groups (a read of the citizens in them: audited) and show them again, the
        same group chosen where it is still there."""
        chosen = self._chosen_group()
        before = chosen.ids[0] if chosen else None
        self._groups = duplicates.groups(self.ws)
        self.groups.blockSignals(True)
        self.groups.clear()
        for group in self._groups:
            self.groups.addItem(group_title(group))
        self.groups.blockSignals(False)
        self.empty.setVisible(not self._groups)
        self.show_count(len(self._groups))
        rows = [n for n, g in enumerate(self._groups) if before in g.ids]
        if rows:
            self.groups.setCurrentRow(rows[0])
        else:
            self._show_group(-1)

    def _chosen_group(self) -> Group | None:
        row = self.groups.currentRow()
        return self._groups[row] if 0 <= row < len(self._groups) else None

    def _show_group(self, row: int) -> None:
        for button in self.keep.buttons():
            self.keep.removeButton(button)
            self.keep_row.removeWidget(button)
            button.deleteLater()
        self.merge_button.setEnabled(False)
        group = self._groups[row] if 0 <= row < len(self._groups) else None
        self.comparison.clear()
        self.comparison.setRowCount(0)
        self.comparison.setColumnCount(0)
        self.legend.setVisible(group is not None)
        if group is None:
            return
        self._fill_comparison(group)
        for n, member in enumerate(group.members, start=1):
            button = QRadioButton(_("Keep record {n}").format(n=n))
            button.setObjectName(f"keep_{n}")
            button.setProperty("record_id", member.record.id)
            # Deleted by an earlier merge: what still points to it moves, it is not kept.
            button.setEnabled(not member.deleted)
            self.keep.addButton(button)
            self.keep_row.insertWidget(self.keep_row.count() - 1, button)

    def _fill_comparison(self, group: Group) -> None:
        labels = _field_labels(group)
        differing = set(group.differing())
        names = duplicates.compared_fields(group.members[0].record)
        counts = [_("Placements")]
        if group.kind == duplicates.COMPANIES:
            counts.append(_("Contact persons"))
        table = self.comparison
        table.setColumnCount(len(group.members))
        table.setRowCount(len(names) + len(counts))
        table.setHorizontalHeaderLabels([
            (_("Record {n} (deleted)") if member.deleted else _("Record {n}")).format(n=n)
            for n, member in enumerate(group.members, start=1)])
        table.setVerticalHeaderLabels([labels.get(n, n) for n in names] + counts)
        for column, member in enumerate(group.members):
            for row, name in enumerate(names):
                item = QTableWidgetItem(_shown(getattr(member.record, name)))
                item.setToolTip(item.text())  # a long text whole, wherever the cell cuts it
                if name in differing:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                table.setItem(row, column, item)
            numbers = [member.placements, member.contacts][: len(counts)]
            for offset, number in enumerate(numbers):
                item = QTableWidgetItem(str(number))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(len(names) + offset, column, item)

    def _kept_chosen(self, _button: QAbstractButton, _checked: bool) -> None:
        self.merge_button.setEnabled(self.keep.checkedButton() is not None)

    # -- merging ------------------------------------------------------------------------------
    def _choice(self) -> tuple[str, list[str]] | None:
        group, button = self._chosen_group(), self.keep.checkedButton()
        if group is None or button is None:
            return None
        keep_id = str(button.property("record_id"))
        return keep_id, [i for i in group.ids if i != keep_id]

    def _confirm(self) -> None:
        """Show what the merge will do, and merge only when the consultant says so."""
        choice = self._choice()
        if choice is None:
            return
        keep_id, others = choice
        try:
            planned = duplicates.plan(self.ws, keep_id, *others)
        except ValidationError as error:
            self._refused(error)
            return
        box = QMessageBox(QMessageBox.Icon.Question, _("Merge duplicates"),
                          ngettext("Keep {name} and merge the other record into it?",
                                   "Keep {name} and merge the other records into it?",
                                   len(others)).format(name=planned.kept.name), parent=self)
        box.setObjectName("merge_confirmation")
        group = self._chosen_group()
        original = next(m.record for m in group.members if m.record.id == keep_id) if group else None
        box.setInformativeText(describe_plan(planned, self._labels(),
                                             joined=bool(original and original.notes)))
        merge = box.addButton(_("Merge"), QMessageBox.ButtonRole.AcceptRole)
        merge.setObjectName("confirm_merge")
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(
            lambda clicked: self._merge(keep_id, others) if clicked is merge else None)
        self._confirmation = box
        box.open()

    def _labels(self) -> dict[str, str]:
        group = self._chosen_group()
        return _field_labels(group) if group else {}

    def _merge(self, keep_id: str, others: Sequence[str]) -> None:
        try:
            done = duplicates.merge(self.ws, keep_id, *others)
        except ValidationError as error:
            self._refused(error)
            return
        self.done.setText(_("Merged: {name} is kept with all the placements.").format(
            name=done.kept.name))
        self.reload()
        self.merged.emit()

    def _refused(self, error: ValidationError) -> None:
        QMessageBox.warning(self, _("Duplicates"), "\n".join(_refusal(e) for e in error.errors))
        self.reload()


def describe_plan(planned: MergePlan, labels: dict[str, str], joined: bool) -> str:
    """What the confirmation says: what moves, what is filled in, what is deleted. `joined`:
    the kept record has notes of its own, so the others' are added below them."""
    lines = [ngettext(
        "{n} placement moves to it, with its visit notes, agreements, buddies and sprogmakkere.",
        "{n} placements move to it, with their visit notes, agreements, buddies and sprogmakkere.",
        planned.placements).format(n=planned.placements)]
    if planned.kind == duplicates.COMPANIES:
        lines.append(ngettext("{n} contact person moves to it.", "{n} contact persons move to it.",
                              planned.contacts).format(n=planned.contacts))
    filled = [labels.get(name, name) for name in planned.filled
              if name != duplicates.NOTES or not joined]
    if filled:
        lines.append(_("Filled in from the other record, where the kept one has nothing: "
                       "{fields}.").format(fields=", ".join(filled)))
    if duplicates.NOTES in planned.filled and joined:
        lines.append(_("The other record's notes are added below the kept one's."))
    if planned.deleting:
        lines.append(ngettext("The other record is then deleted.",
                              "The other {n} records are then deleted.",
                              planned.deleting).format(n=planned.deleting))
    return "\n".join(lines)

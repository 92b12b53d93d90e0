""""I dag", in the order the day is worked: visits due today, then overdue ones; placements
ending soon; agreements to have signed (running or starting within 14 days, the later ones a
click away); rule findings to look at."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from feltkonsulent.domain.rules import Finding
from feltkonsulent.i18n import _, format_date, format_number
from feltkonsulent.services import rules
from feltkonsulent.services.agreements import SIGN_WITHIN_DAYS, UnsignedPlacement, UnsignedToday
from feltkonsulent.services.workspace import DueItems
from feltkonsulent.ui.findings import finding_title, reference_text, rule_title
from feltkonsulent.ui.models import ID_ROLE

TITLE_ROLE = ID_ROLE + 1  # a group's title, before its count is added
Row = tuple[str, str, str, str]  # what, who and where, when, the placement's id


class TodayPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setObjectName("heading")
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.tree = QTreeWidget()
        self.tree.setObjectName("today")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([_("What"), _("Who and where"), _("When")])
        self.tree.setRootIsDecorated(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.visits = self._group(_("Visits today and overdue"))
        self.ending = self._group(_("Placements ending within 14 days"))
        self.unsigned = self._group(_("Agreements to have signed, starting within {n} days or "
                                      "running").format(n=SIGN_WITHIN_DAYS))
        self.findings = self._group(_("Rule findings that need attention"))
        self.later: QTreeWidgetItem | None = None  # "Show all (12)": the later starts
        # A click or Enter opens it (both may come from one click, where the style activates
        # on a single click: so they open, never toggle); the arrow or ← folds it again.
        self.tree.itemClicked.connect(self._open_later)
        self.tree.itemActivated.connect(self._open_later)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.tree)

    def _group(self, title: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [title])
        item.setData(0, TITLE_ROLE, title)
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        item.setFirstColumnSpanned(True)  # a long title must not widen the "What" column
        item.setExpanded(True)
        return item

    def show_day(self, today: date) -> None:
        self.heading.setText(_("Today, {date}").format(date=format_date(today, "long")))

    def show_due(self, due: DueItems) -> None:
        # Today's visits first (the day's appointments), then the overdue ones, the longest
        # overdue first: the citizen waiting longest for a follow-up.
        visits = sorted(due.visits, key=lambda d: (d.overdue, d.due_on, d.citizen_name))
        self._fill(self.visits, [
            (_("Overdue visit") if d.overdue else _("Visit"),
             f"{d.citizen_name} · {d.company_name}", format_date(d.due_on), d.placement_id)
            for d in visits
        ], due.visits_total)
        self._fill(self.ending, [
            (_("Ends"), f"{e.citizen_name} · {e.company_name}", format_date(e.end_date),
             e.placement_id)
            for e in due.ending
        ], due.ending_total)

    def show_unsigned(self, found: UnsignedToday) -> None:
        """Those to sign now under the group; the later starts folded under "Show all (n)",
        opened by a click (or Enter, or →)."""
        self._fill(self.unsigned, [_unsigned_row(u) for u in found.soon])
        self.later = None
        if not found.later:
            return
        if not found.soon:
            self.unsigned.takeChildren()  # not "Nothing": there is something, a click away
        self.later = QTreeWidgetItem(self.unsigned, [_("Show all ({n})").format(
            n=format_number(len(found.later)))])
        self.later.setToolTip(0, _("Placements starting more than {n} days from today").format(
            n=SIGN_WITHIN_DAYS))
        for what, who, when, placement_id in map(_unsigned_row, found.later):
            child = QTreeWidgetItem(self.later, [what, who, when])
            child.setData(0, ID_ROLE, placement_id)
        self.later.setExpanded(False)

    def _open_later(self, item: QTreeWidgetItem) -> None:
        if item is self.later:
            item.setExpanded(True)

    def show_findings(self, found: list[rules.CheckedFinding], names: dict[str, str]) -> None:
        wanted = [c.finding for c in found if c.needs_attention]
        self._fill(self.findings, [
            (short_finding(f), names.get(f.placement_id, ""), "", f.placement_id) for f in wanted
        ])
        # The whole sentence (numbers, the rule's words) where the row has no room for it.
        for child, finding in zip(_children(self.findings), wanted, strict=False):
            child.setToolTip(0, finding_title(finding))

    def _fill(self, group: QTreeWidgetItem, rows: list[Row],
              total: int | None = None) -> None:
        """The rows under their group; the title says how many (and of how many, when only the
        first are shown)."""
        group.takeChildren()
        for what, who, when, placement_id in rows:
            child = QTreeWidgetItem(group, [what, who, when])
            child.setData(0, ID_ROLE, placement_id)
        if not rows:
            QTreeWidgetItem(group, [_("Nothing")]).setFlags(Qt.ItemFlag.NoItemFlags)
        title = group.data(0, TITLE_ROLE)
        if total is not None and total > len(rows):
            counted = _("{shown} of {total}").format(shown=format_number(len(rows)),
                                                    total=format_number(total))
        else:
            counted = format_number(len(rows))
        group.setText(0, f"{title} ({counted})")
        group.setExpanded(True)


def _unsigned_row(u: UnsignedPlacement) -> Row:
    what = (_("Agreement version {n} not signed").format(n=u.issued_version)
            if u.issued_version else _("No agreement issued"))
    return what, f"{u.citizen_name} · {u.company_name}", format_date(u.start_date), u.placement_id


def _children(group: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    return [c for i in range(group.childCount()) if (c := group.child(i)) is not None]


def short_finding(finding: Finding) -> str:
    """"Praktikken er for lang (LAB § 61)", and ", foreløbig" under the new act: one short line
    of the list; the sentence is its tooltip and on the placement."""
    reference = reference_text(finding)
    legal = f" ({reference})" if reference else ""
    text = rule_title(finding.code) + legal
    return _("{finding}, provisional").format(finding=text) if finding.provisional else text

"""The import service: one file, checked row by row, written all-or-nothing.

The back office, `manage.py import_data` and the Celery task all call `import_file`.
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import tablib
from django.db import transaction
from django.utils.translation import gettext as _

from directory.importing.base import ROW_COLUMN, RowOutcome
from directory.importing.formats import Table, TableError
from directory.importing.resources import resource_for

BATCH_ROWS = 1000

Progress = Callable[[int], None]


ACTIONS = ("new", "update", "skip", "invalid", "error")


@dataclass
class ImportReport:
    """What an import did or would do: counts, every row's outcome, and file-level errors.

    Rejected rows are kept whole (key, name, reasons). The others are kept as runs of consecutive
    rows with one outcome ("rows 2–1001: create"), so a 100,000-row report stays a few lines.
    """

    kind: str
    dry_run: bool
    error_rows: list[RowOutcome] = field(default_factory=list)
    # Rows imported (or to be) with a warning to check; they do not stop the import.
    warning_rows: list[RowOutcome] = field(default_factory=list)
    runs: list[list] = field(default_factory=list)  # [first row, last row, action]
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ACTIONS, 0))
    file_errors: list[str] = field(default_factory=list)
    written: bool = False

    def add(self, outcome: RowOutcome) -> None:
        self.counts[outcome.action] += 1
        if outcome.errors:
            self.error_rows.append(outcome)
            return
        if outcome.warnings:
            self.warning_rows.append(outcome)
        last = self.runs[-1] if self.runs else None
        if last and last[2] == outcome.action and last[1] + 1 == outcome.row:
            last[1] = outcome.row
        else:
            self.runs.append([outcome.row, outcome.row, outcome.action])

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.error_rows

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "error_rows": self.error_rows,
            "warning_rows": self.warning_rows,
            "runs": self.runs,
            "counts": self.counts,
            "file_errors": self.file_errors,
            "written": self.written,
            "errors": len(self.error_rows) + len(self.file_errors),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "ImportReport":
        return cls(
            kind=data["kind"],
            dry_run=data["dry_run"],
            error_rows=[RowOutcome(*row) for row in data.get("error_rows", [])],
            warning_rows=[RowOutcome(*row) for row in data.get("warning_rows", [])],
            runs=data.get("runs", []),
            counts=data.get("counts", dict.fromkeys(ACTIONS, 0)),
            file_errors=data.get("file_errors", []),
            written=data.get("written", False),
        )

    def lines(self) -> list[str]:
        """The per-row report as text, rejected rows first (for the command line)."""
        out = [_("File: %(error)s") % {"error": error} for error in self.file_errors]
        for row in self.error_rows:
            line = _("Row %(row)s [%(action)s] %(key)s %(name)s") % {
                "row": row.row,
                "action": action_label(row.action),
                "key": row.key,
                "name": row.name,
            }
            out.append(line + " — " + "；".join(row.errors))
        for row in self.warning_rows:
            line = _("Row %(row)s [%(action)s] %(key)s %(name)s") % {
                "row": row.row,
                "action": action_label(row.action),
                "key": row.key,
                "name": row.name,
            }
            out.append(line + " — " + _("Warning: %(text)s") % {"text": "；".join(row.warnings)})
        for first, last, action in self.runs:
            rows = str(first) if first == last else f"{first}–{last}"
            out.append(
                _("Rows %(rows)s [%(action)s]") % {"rows": rows, "action": action_label(action)}
            )
        return out


def action_label(action: str) -> str:
    return {
        "new": _("create"),
        "update": _("update"),
        "skip": _("unchanged"),
    }.get(action, _("rejected"))


def import_file(
    *,
    kind: str,
    path: str | Path,
    filename: str | None = None,
    viewer=None,
    dry_run: bool,
    progress: Progress | None = None,
    options: dict | None = None,
) -> ImportReport:
    """Check (dry run) or import a registry file. With any bad row nothing is written.

    `viewer` is the uploading account (rows outside its scope are rejected); None for the
    command line. `progress` is called with the number of rows processed after each batch.
    `options` are the kind's own (questions: {"bank": name}; attendance: {"session": id}).
    """
    resource = resource_for(kind, viewer=viewer, **(options or {}))
    report = ImportReport(kind=kind, dry_run=dry_run)
    try:
        headers, rows = Table(path, filename=filename).read()
        positions = resource.match_headers(headers)
    except (TableError, ValueError) as error:
        report.file_errors.append(str(error))
        return report
    columns = [ROW_COLUMN, *positions.values()]
    indexes = list(positions)
    with transaction.atomic():
        try:
            while batch := list(itertools.islice(rows, BATCH_ROWS)):
                dataset = tablib.Dataset(headers=columns)
                for number, cells in batch:
                    dataset.append([number, *(cells[i] for i in indexes)])
                result = resource.import_data(
                    dataset, dry_run=dry_run, use_transactions=False, raise_errors=False
                )
                for outcome in resource.take_outcomes():
                    report.add(outcome)
                report.file_errors.extend(
                    _("Writing failed: %(error)s") % {"error": error.error}
                    for error in result.base_errors
                )
                # Rows of the file read so far, blank ones included, as the job's total counts.
                done = batch[-1][0] - 1
                if progress:
                    progress(done)
        except TableError as error:
            report.file_errors.append(str(error))
        if dry_run or not report.ok:
            transaction.set_rollback(True)
    report.written = not dry_run and report.ok
    return report

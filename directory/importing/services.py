"""The import service: one file, checked row by row, written all-or-nothing.

The back office, `manage.py import_data` and the Celery task all call `import_file`.
"""

import itertools
from collections import Counter
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


@dataclass
class ImportReport:
    """What an import did or would do: counts, every row's outcome, and file-level errors."""

    kind: str
    dry_run: bool
    rows: list[RowOutcome] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def counts(self) -> dict[str, int]:
        counts = Counter(row.action for row in self.rows)
        return {
            action: counts.get(action, 0)
            for action in ("new", "update", "skip", "invalid", "error")
        }

    @property
    def error_rows(self) -> list[RowOutcome]:
        return [row for row in self.rows if row.errors]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.error_rows

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "file_errors": self.file_errors,
            "written": self.written,
            "counts": self.counts,
            "errors": len(self.error_rows) + len(self.file_errors),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "ImportReport":
        return cls(
            kind=data["kind"],
            dry_run=data["dry_run"],
            rows=[RowOutcome(*row) for row in data.get("rows", [])],
            file_errors=data.get("file_errors", []),
            written=data.get("written", False),
        )

    def lines(self) -> list[str]:
        """The per-row report as text, rejected rows first (for the command line)."""
        labels = {
            "new": _("create"),
            "update": _("update"),
            "skip": _("unchanged"),
            "invalid": _("rejected"),
            "error": _("rejected"),
        }
        out = [_("File: %(error)s") % {"error": error} for error in self.file_errors]
        ordered = sorted(self.rows, key=lambda row: (not row.errors, row.row))
        for row in ordered:
            line = _("Row %(row)s [%(action)s] %(key)s %(name)s") % {
                "row": row.row,
                "action": labels[row.action],
                "key": row.key,
                "name": row.name,
            }
            if row.errors:
                line += " — " + "；".join(row.errors)
            out.append(line)
        return out


def import_file(
    *,
    kind: str,
    path: str | Path,
    filename: str | None = None,
    viewer=None,
    dry_run: bool,
    progress: Progress | None = None,
) -> ImportReport:
    """Check (dry run) or import a registry file. With any bad row nothing is written.

    `viewer` is the uploading account (rows outside its scope are rejected); None for the
    command line. `progress` is called with the number of rows processed after each batch.
    """
    resource = resource_for(kind, viewer=viewer)
    report = ImportReport(kind=kind, dry_run=dry_run)
    try:
        headers, rows = Table(path, filename=filename).read()
        positions = resource.match_headers(headers)
    except (TableError, ValueError) as error:
        report.file_errors.append(str(error))
        return report
    columns = [ROW_COLUMN, *positions.values()]
    indexes = list(positions)
    done = 0
    with transaction.atomic():
        try:
            while batch := list(itertools.islice(rows, BATCH_ROWS)):
                dataset = tablib.Dataset(headers=columns)
                for number, cells in batch:
                    dataset.append([number, *(cells[i] for i in indexes)])
                result = resource.import_data(
                    dataset, dry_run=dry_run, use_transactions=False, raise_errors=False
                )
                report.rows.extend(resource.take_outcomes())
                report.file_errors.extend(
                    _("Writing failed: %(error)s") % {"error": error.error}
                    for error in result.base_errors
                )
                done += len(batch)
                if progress:
                    progress(done)
        except TableError as error:
            report.file_errors.append(str(error))
        if dry_run or not report.ok:
            transaction.set_rollback(True)
    report.written = not dry_run and report.ok
    return report

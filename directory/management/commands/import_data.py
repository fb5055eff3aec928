"""`manage.py import_data <kind> <file> [--dry-run]`: the back office's import, from the shell."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from directory.importing.resources import RESOURCES
from directory.importing.services import import_file


class Command(BaseCommand):
    help = "Import a registry file (XLSX or CSV). With any bad row nothing is written."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(RESOURCES))
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report only; write nothing."
        )
        parser.add_argument("--bank", help="questions: the question bank to import into.")
        parser.add_argument(
            "--session", type=int, help="The training session of an attendance sheet (attendance)."
        )
        parser.add_argument(
            "--drill",
            type=int,
            help="The drill record of a drill sign-in sheet (drill_participants).",
        )

    def handle(self, *args, kind, file, dry_run, bank=None, session=None, drill=None, **options):
        # Kind-specific options reach the resource only when given (other kinds take none).
        extra = {"bank": bank} if bank else {}
        if session is not None:
            extra["session"] = session
        if drill is not None:
            extra["drill"] = drill
        report = import_file(
            options=extra,
            kind=kind,
            path=file,
            dry_run=dry_run,
            progress=lambda done: self.stderr.write(f"\r{done}", ending=""),
        )
        self.stderr.write("")
        for line in report.lines():
            self.stdout.write(line)
        counts = report.counts
        summary = _(
            "%(new)d to create, %(update)d to update, %(skip)d unchanged, %(bad)d rejected."
        ) % {
            "new": counts["new"],
            "update": counts["update"],
            "skip": counts["skip"],
            "bad": counts["invalid"] + counts["error"],
        }
        self.stdout.write(summary)
        if not report.ok:
            raise CommandError(_("The file has errors; nothing was written."))
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS(_("Imported.")))

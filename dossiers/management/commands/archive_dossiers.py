"""Archive a past year's files now (what the beat does on 1 January), e.g. after a missed run:
`manage.py archive_dossiers --year 2025 [--kind person]`. Files already archived are kept."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dossiers.archive.kinds import KINDS
from dossiers.archive.services import archive_year


class Command(BaseCommand):
    help = "Archive the files of a past year as PDFs (files already archived are not rewritten)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="a past year, e.g. 2025")
        parser.add_argument(
            "--kind",
            action="append",
            choices=sorted(KINDS),
            help="only this kind of file (repeatable; default: every kind)",
        )

    def handle(self, *args, year: int, kind: list[str] | None, **options):
        def progress(result):
            if options["verbosity"] > 1:
                self.stdout.write(f"{result.done}/{result.total}")

        try:
            result = archive_year(year, kinds=kind, progress=progress)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"{year}: {result.total} subject(s), {result.written} file(s) written, "
            f"{result.skipped} already archived, {len(result.failed)} failed"
        )
        for failed in result.failed:
            self.stderr.write(f"failed: {failed}")
        if result.failed:
            raise CommandError(f"{len(result.failed)} file(s) could not be made; run it again.")

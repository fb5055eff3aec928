"""`manage.py load_plan_tasks [file]`: the plan's items and tasks from the seed file.

Creates what is missing and leaves stored items and tasks as the town office edited them, so a
second run writes nothing. To change stored tasks from a file, use `import_data tasks <file>`.
"""

from django.core.management.base import BaseCommand, CommandError

from plan.tasklist.seed import plan_tasks_seed
from plan.tasklist.services import SEED_FILE, PlanSeedError


class Command(BaseCommand):
    help = "Load the plan's items and tasks from the seed file (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(SEED_FILE))

    def handle(self, *args, file, **options):
        try:
            plan_tasks_seed(stdout=self.stdout, path=file)
        except PlanSeedError as error:
            raise CommandError(str(error)) from error

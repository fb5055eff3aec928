"""A large deterministic dataset for benchmarks and load tests: `seed_scale --scale town|district|city`.

Bulk paths only (bulk_create in large batches, set-based updates), people drawn one enterprise at a
time so memory stays flat. Refuses a database that already holds enterprises: start from an empty
one (`manage.py flush`, or a new PostgreSQL database).
"""

import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from directory.demo import Planner
from directory.management.commands.seed_demo import units_ensure
from directory.models import Enterprise, Person
from directory.scale import SCALES, village_names
from directory.scale_load import database_analyse

BATCH = 5000


class Command(BaseCommand):
    help = "Build a large, deterministic dataset (town, district or city) through bulk paths."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="town")

    def handle(self, *args, scale: str, **options):
        scale = SCALES[scale]
        if Enterprise.objects.exists():
            raise CommandError(
                "The database already holds enterprises; seed_scale starts from an empty one "
                "(manage.py flush, or a new database)."
            )
        started = time.monotonic()
        units = self._units(scale)
        planner = Planner(
            enterprises=scale.enterprises,
            employees=scale.people - scale.inspectors,
            inspectors=scale.inspectors,
            villages=[name for name, _kind in village_names(scale)],
        )
        self._write_registry(planner, units)
        self._step("registry", started, Enterprise.objects.count(), Person.objects.count())
        for app_config in apps.get_app_configs():
            seed = getattr(app_config, "seed_scale", None)
            if callable(seed):
                step = time.monotonic()
                seed(scale, self.stdout)
                self.stdout.write(f"  {app_config.label}: {time.monotonic() - step:.1f} s")
        step = time.monotonic()
        database_analyse()
        self.stdout.write(f"  planner statistics: {time.monotonic() - step:.1f} s")
        self.stdout.write(f"seed_scale {scale.name}: {time.monotonic() - started:.1f} s")

    def _step(self, label, started, enterprises, people):
        self.stdout.write(
            f"  {label}: {enterprises:,} enterprises, {people:,} people, "
            f"{time.monotonic() - started:.1f} s"
        )

    @transaction.atomic
    def _units(self, scale) -> dict:
        return units_ensure(village_names(scale))

    def _write_registry(self, planner: Planner, units: dict) -> None:
        planned = planner.enterprise_plan()
        sizes = planner.sizes(len(planned))
        for start in range(0, len(planned), BATCH):
            chunk = planned[start : start + BATCH]
            with transaction.atomic():
                Enterprise.objects.bulk_create(
                    Enterprise(
                        credit_code=e.credit_code,
                        name=e.name,
                        address=e.address,
                        village=units["village"][e.village],
                        industry=units["industry"][e.industry],
                        lead_department=units["department"][e.lead_department],
                        headcount=size,
                        is_fire_key_unit=e.is_fire_key_unit,
                        handles_hazardous_chemicals=e.handles_hazardous_chemicals,
                        is_crowded_place=e.is_crowded_place,
                    )
                    for e, size in zip(chunk, sizes[start : start + BATCH], strict=True)
                )
        employers = dict(Enterprise.objects.values_list("credit_code", "pk"))
        people: list[Person] = []
        for enterprise, size in zip(planned, sizes, strict=True):
            for values in planner.people_for(enterprise, size):
                values["employer_id"] = employers[values.pop("employer")]
                people.append(self._person(values))
            if len(people) >= BATCH:
                Person.objects.bulk_create(people)
                people = []
        for values in planner.inspectors():
            values["department"] = units["department"][values["department"]]
            people.append(self._person(values))
        Person.objects.bulk_create(people)
        # Each enterprise's principal. Not a correlated UPDATE: on fresh PostgreSQL tables
        # (no statistics yet) the planner scans the people table once per enterprise.
        principals = dict(Person.objects.filter(is_principal=True).values_list("employer_id", "pk"))
        linked = [Enterprise(pk=pk, principal_id=person) for pk, person in principals.items()]
        Enterprise.objects.bulk_update(linked, ["principal_id"], batch_size=1000)

    @staticmethod
    def _person(values: dict) -> Person:
        person = Person(**values)
        person.derive_from_id_number()  # bulk_create skips save(), where these are derived
        return person

"""The demo town: departments, villages, industries, 200 enterprises, ~3,000 people, demo logins.

Deterministic (one `random.Random(2026)` draws the whole town in memory first) and idempotent
(rows are written only when their natural key — name, credit code, ID number, username — is
missing, so a second run writes nothing and leaves changed passwords alone).
"""

import logging
import os
import time
import unicodedata

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from directory import services
from directory.constants import (
    LEAD_DEPARTMENTS,
    TOWN_OFFICE_NAME,
    AccountRole,
)
from directory.demo import (
    DEMO_DEPARTMENT,
    DEMO_PASSWORD,
    DEMO_VILLAGE,
    HALF_YEARLY_DRILL_INDUSTRIES,
    INDUSTRIES,
    VILLAGES,
    PlannedEnterprise,
    Planner,
)
from directory.models import Department, Enterprise, Industry, Person, User, Village
from directory.services.registry import people_link_to_posts

BATCH = 500


class Command(BaseCommand):
    help = "Load the demo town (idempotent, deterministic) and print the demo logins."

    def handle(self, *args, **options):
        started = time.monotonic()
        planner = Planner()
        with transaction.atomic():
            units = self._units()
            enterprises = planner.enterprises()
            inspectors = planner.inspectors()
            created = self._enterprises(enterprises, units)
            created += self._people(enterprises, inspectors, units)
            self._principals(enterprises)
            logins = self._accounts(units, enterprises[0])
        self._other_apps()
        self._report(time.monotonic() - started, created, logins)

    def _other_apps(self) -> None:
        """Let every app that has demo content add it (content, training, …).

        An app opts in with a `seed_demo(stdout)` method on its AppConfig; the registry comes
        first, so those apps may use it. The registry itself imports none of them.
        """
        # Wagtail logs every page it creates and publishes; the summary line says enough here.
        wagtail_log = logging.getLogger("wagtail")
        level = wagtail_log.level
        wagtail_log.setLevel(logging.WARNING)
        try:
            for app_config in apps.get_app_configs():
                seed = getattr(app_config, "seed_demo", None)
                if callable(seed):
                    seed(self.stdout)
        finally:
            wagtail_log.setLevel(level)

    def _units(self) -> dict:
        return units_ensure(VILLAGES)

    def _enterprises(self, planned: list[PlannedEnterprise], units: dict) -> int:
        existing = _existing(Enterprise, "credit_code", [e.credit_code for e in planned])
        new = [
            Enterprise(
                credit_code=e.credit_code,
                name=e.name,
                address=e.address,
                village=units["village"][e.village],
                industry=units["industry"][e.industry],
                lead_department=units["department"][e.lead_department],
                headcount=len(e.people),
                is_fire_key_unit=e.is_fire_key_unit,
                handles_hazardous_chemicals=e.handles_hazardous_chemicals,
                is_crowded_place=e.is_crowded_place,
            )
            for e in planned
            if e.credit_code not in existing
        ]
        Enterprise.objects.bulk_create(new, batch_size=BATCH)
        return len(new)

    def _people(self, enterprises: list[PlannedEnterprise], inspectors: list[dict], units) -> int:
        planned = [p for e in enterprises for p in e.people] + inspectors
        existing = _existing(Person, "id_number", [p["id_number"] for p in planned])
        employers = dict(
            Enterprise.objects.filter(
                credit_code__in=[e.credit_code for e in enterprises]
            ).values_list("credit_code", "id")
        )
        new = []
        for values in planned:
            if values["id_number"] in existing:
                continue
            values = dict(values)
            if "employer" in values:
                values["employer_id"] = employers[values.pop("employer")]
            if "department" in values:
                values["department"] = units["department"][values["department"]]
            person = Person(**values)
            # bulk_create skips save(), where birth date and sex are derived.
            person.derive_from_id_number()
            new.append(person)
        Person.objects.bulk_create(new, batch_size=BATCH)
        # The demo's job titles name the town's posts (电工, 焊工, 叉车司机 …): link them.
        if new:
            people_link_to_posts(people=[person.pk for person in new])
        return len(new)

    def _principals(self, enterprises: list[PlannedEnterprise]) -> None:
        principal_of = {e.credit_code: e.people[0]["id_number"] for e in enterprises}
        missing = list(
            Enterprise.objects.filter(credit_code__in=principal_of, principal__isnull=True)
        )
        if not missing:
            return
        people = dict(
            Person.objects.filter(
                id_number__in=[principal_of[e.credit_code] for e in missing]
            ).values_list("id_number", "id")
        )
        for enterprise in missing:
            enterprise.principal_id = people.get(principal_of[enterprise.credit_code])
        Enterprise.objects.bulk_update(missing, ["principal"], batch_size=BATCH)

    def _accounts(self, units: dict, planned: PlannedEnterprise) -> list[tuple[str, str]]:
        demo = Enterprise.objects.get(credit_code=planned.credit_code)
        # The plan puts the safety manager second and an ordinary worker third.
        by_id_number = Person.objects.in_bulk(
            [planned.people[1]["id_number"], planned.people[2]["id_number"]],
            field_name="id_number",
        )
        safety_manager = by_id_number.get(planned.people[1]["id_number"])
        worker = by_id_number.get(planned.people[2]["id_number"])
        town_office = units["department"][TOWN_OFFICE_NAME]
        logins = [
            ("admin", AccountRole.TOWN_OFFICE, {"is_superuser": True, "department": town_office}),
            ("town", AccountRole.TOWN_OFFICE, {"department": town_office}),
            (
                "dept",
                AccountRole.DEPARTMENT_OFFICER,
                {"department": units["department"][DEMO_DEPARTMENT]},
            ),
            ("village", AccountRole.VILLAGE_OFFICER, {"village": units["village"][DEMO_VILLAGE]}),
            ("manager", AccountRole.ENTERPRISE_MANAGER, {"enterprise": demo}),
            ("learner", AccountRole.LEARNER, {}),
            # Page rights come with the role (content.publishing puts editors in their group).
            ("editor", AccountRole.EDITOR, {}),
        ]
        people = {"manager": safety_manager, "learner": worker}
        existing = set(
            User.objects.filter(username__in=[u for u, *_ in logins]).values_list(
                "username", flat=True
            )
        )
        for username, role, extra in logins:
            if username in existing:
                continue
            person = people.get(username)
            services.account_create(
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                person=person if person is not None and person.account_id is None else None,
                **extra,
            )
        return [
            (
                username,
                str(AccountRole(role).label) + (" (superuser)" if "is_superuser" in extra else ""),
            )
            for username, role, extra in logins
        ]

    def _report(self, seconds: float, created: int, logins: list[tuple[str, str]]) -> None:
        counts = {
            "departments": Department.objects.count(),
            "villages": Village.objects.count(),
            "industries": Industry.objects.count(),
            "enterprises": Enterprise.objects.count(),
            "people": Person.objects.count(),
        }
        summary = ", ".join(f"{n} {label}" for label, n in counts.items())
        self.stdout.write(f"Demo town ready in {seconds:.1f} s ({created} rows added): {summary}.")
        port = os.environ.get("PORT", "8000")
        self.stdout.write(
            f"Open http://127.0.0.1:{port}/me/ (front office) "
            f"or http://127.0.0.1:{port}/admin/ (back office)."
        )
        self.stdout.write(f"Demo logins, password {DEMO_PASSWORD} for all:")
        rows = [("username", "role", "password")]
        rows += [(username, label, DEMO_PASSWORD) for username, label in logins]
        for line in table_lines(rows):
            self.stdout.write(f"  {line}")


def display_width(text: str) -> int:
    """Columns a terminal gives the text: two for a wide or full-width character (Chinese),
    none for a combining mark, one otherwise (str.ljust counts characters, which misaligns
    a column of Chinese role names)."""
    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
        for char in text
    )


def table_lines(rows: list[tuple[str, ...]]) -> list[str]:
    """The rows as lines of columns, each cell padded to its column's widest display width (so
    every line is as wide as the others on a terminal)."""
    widths = [max(display_width(cell) for cell in column) for column in zip(*rows, strict=True)]
    return [
        "  ".join(
            cell + " " * (width - display_width(cell))
            for cell, width in zip(row, widths, strict=True)
        )
        for row in rows
    ]


def units_ensure(villages: list[tuple[str, str]]) -> dict:
    """Industries, the town office and lead departments with their industries, and villages:
    what is missing is written (seed_demo and seed_scale share it)."""
    industries = {}
    for order, (name, risk, *_rest) in enumerate(INDUSTRIES):
        industries[name], _ = Industry.objects.get_or_create(
            name=name,
            defaults={
                "risk_class": risk,
                "sort_order": order,
                "drills_half_yearly": name in HALF_YEARLY_DRILL_INDUSTRIES,
            },
        )
    departments = {}
    for order, name in enumerate([TOWN_OFFICE_NAME, *LEAD_DEPARTMENTS]):
        departments[name], _ = Department.objects.get_or_create(
            name=name,
            defaults={"is_town_office": name == TOWN_OFFICE_NAME, "sort_order": order},
        )
    # Only missing links: .add() would issue an INSERT … ON CONFLICT on every run.
    leads = Department.industries.through
    linked = set(leads.objects.values_list("department_id", "industry_id"))
    leads.objects.bulk_create(
        leads(department_id=departments[lead].pk, industry_id=industries[name].pk)
        for name, _risk, lead_names, *_rest in INDUSTRIES
        for lead in lead_names.split()
        if (departments[lead].pk, industries[name].pk) not in linked
    )
    existing = set(Village.objects.values_list("name", flat=True))
    Village.objects.bulk_create(
        Village(name=name, kind=kind) for name, kind in villages if name not in existing
    )
    wanted = {name for name, _kind in villages}
    return {
        "industry": industries,
        "department": departments,
        "village": {v.name: v for v in Village.objects.filter(name__in=wanted)},
    }


def _existing(model, key: str, values: list[str]) -> set[str]:
    """Which of these natural keys are already stored (chunked: SQLite caps query parameters)."""
    found = set()
    for start in range(0, len(values), 900):
        chunk = values[start : start + 900]
        found.update(model.objects.filter(**{f"{key}__in": chunk}).values_list(key, flat=True))
    return found

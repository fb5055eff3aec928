"""Bulk paths for the apps' `seed_scale` hooks: COPY on PostgreSQL, batched
`bulk_create` on SQLite, rows drawn by a seeded random generator so two runs write the same data.

A hook reads the registry in primary-key chunks (`rows_by_pk`), spreads an exact number of rows
over the people or enterprises it read (`spread`), and writes them through `rows_load`.
"""

import json
import random
from collections.abc import Iterable, Iterator, Sequence

from django.db import connection, models, transaction
from django.utils import timezone

BATCH = 5000
CHUNK = 50_000


def seeded(scale_name: str, purpose: str) -> random.Random:
    """The generator of one kind of record at one scale: the same sequence on every run."""
    return random.Random(f"seed_scale:{scale_name}:{purpose}")


def spread(rng: random.Random, weights: Sequence[float], total: int) -> list[int]:
    """How many rows each of `weights`' owners gets: proportional to its weight, randomly
    rounded, summing to exactly `total` (owners of weight 0 get none)."""
    owners = [i for i, w in enumerate(weights) if w > 0]
    if not owners or total <= 0:
        return [0] * len(weights)
    scale = total / sum(weights[i] for i in owners)
    counts = [int(w * scale + rng.random()) if w > 0 else 0 for w in weights]
    difference = total - sum(counts)
    while difference:
        i = owners[rng.randrange(len(owners))]
        if difference > 0:
            counts[i] += 1
            difference -= 1
        elif counts[i]:
            counts[i] -= 1
            difference += 1
    return counts


def rows_by_pk(queryset: models.QuerySet, fields: Sequence[str], size: int = CHUNK) -> Iterator:
    """Lists of `values_list(pk, *fields)` in primary-key order, `size` at a time (keyset
    pagination: no server-side cursor left open while the caller writes)."""
    last = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", *fields)[:size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1][0]


def _defaults(model, given: Sequence[str]) -> dict:
    """The value of every concrete column the rows leave out, as `save()` would set it."""
    now = timezone.now()
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in given:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            values[field.attname] = now
        else:
            values[field.attname] = field.get_default()
    return values


def rows_load(model, fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Write `rows` (tuples of `fields`' attnames) to `model`'s table; returns how many.

    PostgreSQL: one COPY (psycopg 3 `cursor.copy`), the columns left out filled with their
    defaults. SQLite: `bulk_create` in batches of 5,000. No per-row save() either way.
    """
    defaults = _defaults(model, fields)
    columns = {f.attname: f for f in model._meta.concrete_fields}
    if connection.vendor == "postgresql":
        names = [*fields, *defaults]
        json_at = [i for i, name in enumerate(names) if isinstance(columns[name], models.JSONField)]
        tail = [defaults[name] for name in defaults]
        sql = "COPY {} ({}) FROM STDIN".format(
            connection.ops.quote_name(model._meta.db_table),
            ", ".join(connection.ops.quote_name(columns[name].column) for name in names),
        )
        count = 0
        with transaction.atomic(), connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                values = [*row, *tail]
                for i in json_at:
                    values[i] = json.dumps(values[i])
                copy.write_row(values)
                count += 1
        return count
    count = 0
    batch = []
    with transaction.atomic():
        for row in rows:
            batch.append(model(**defaults, **dict(zip(fields, row, strict=True))))
            if len(batch) >= BATCH:
                model.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        model.objects.bulk_create(batch)
    return count + len(batch)


def tables_analyse(*models_: type[models.Model]) -> None:
    """Fresh planner statistics and visibility map after a bulk load (what autovacuum would do
    later): VACUUM, so index-only scans need not visit the heap, unless inside a transaction
    (a test), where only ANALYZE may run."""
    if connection.vendor != "postgresql":
        return
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")


def database_analyse() -> None:
    """Fresh planner statistics for every table after a bulk load. Without them PostgreSQL plans a
    district as if each table held a few rows (nested loops over 300,000 people), and autovacuum
    does not step in on a database copied from a template, whose change counters start at 0."""
    if connection.vendor != "postgresql":
        return
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        cursor.execute(command)

"""The figures a benchmark reports, recorded for `make bench`'s table (benchmarks/run_all.py).

Each benchmark prints its own report. `figure()` also records one figure, with the floor
measured in the same run when there is one (a bare Django view, a bare reportlab page,
openpyxl + bulk_create, raw SQL), as a JSON line in the file named by $BENCH_FIGURES, which
run_all.py collects into one table. Without that variable it records nothing.
"""

import json
import os


def figure(
    *,
    issue: int,
    name: str,
    value: float,
    unit: str,
    size: str = "",
    floor: float | None = None,
    floor_name: str = "",
    goal: str = "",
    detail: dict | None = None,
) -> None:
    """Record `value` (in `unit`) for the table; `floor` is in the same unit. `detail` (plain
    JSON) goes with the row for the runner's own sections (the capacity table, peak days)."""
    path = os.environ.get("BENCH_FIGURES")
    if not path:
        return
    row = {
        "issue": issue,
        "name": name,
        "size": size,
        "value": value,
        "unit": unit,
        "floor": floor,
        "floor_name": floor_name,
        "goal": goal,
    }
    if detail is not None:
        row["detail"] = detail
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")

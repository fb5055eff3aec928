"""The benchmarks still run (on a tiny input): their figures are measured outside CI."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_people_import_benchmark_runs(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "import_people.py"), "--rows", "300"],
        capture_output=True,
        text=True,
        timeout=300,
        env={
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'bench.sqlite3'}",
            "CELERY_FILESYSTEM_DIR": str(tmp_path / "celery"),
        },
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    steps = [line for line in lines if line.lstrip().startswith("300 ")]
    assert len(steps) == 4  # floor, dry run, write, re-import
    assert all("x" in line for line in steps)


@pytest.mark.slow
def test_dashboard_benchmark_runs_and_agrees_with_raw_sql(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "dashboard.py"),
            "--enterprises",
            "200",
            "--repeat",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'bench.sqlite3'}",
            "CELERY_FILESYSTEM_DIR": str(tmp_path / "celery"),
            "MEDIA_ROOT": str(tmp_path / "media"),
        },
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (row,) = [line for line in result.stdout.splitlines() if line.lstrip().startswith("200 ")]
    assert " yes " in row

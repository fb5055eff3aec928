"""Certificate PDF benchmark (issue 7): PDFs per second next to a bare page, and a big batch.

    .venv/bin/python benchmarks/certificate_pdfs.py                    # 300 PDFs, batch of 10,000
    .venv/bin/python benchmarks/certificate_pdfs.py --pdfs 100 --batch 200 --tracemalloc

1. One PDF per certificate (embedded CJK subset, QR, a different holder and code each time) and,
   in the same run, a bare reportlab page with one line of text: documents per second.
2. A batch through the real service (`certificate_batch_process`) on DATABASE_URL or a
   temporary SQLite database: N people and certificates, one merged PDF then a ZIP; time, pages
   per second and memory (ru_maxrss before and after; the Python heap's peak with --tracemalloc,
   which slows the run several times). Not part of CI: it prints figures, asserts nothing.
"""

import argparse
import datetime
import io
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from figures import figure

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SURNAMES = "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"


def django_setup(database: str):
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{database}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("MEDIA_ROOT", str(Path(database).parent / "media"))
    import django

    django.setup()


def name(n: int) -> str:
    return SURNAMES[n % 20] + GIVEN[(n // 20) % 20] + GIVEN[(n // 400) % 20]


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rates(count: int) -> None:
    import secrets

    from certificates.pdf import CertificateContent, certificate_pdf_write
    from config.pdf import cjk_font, pdf_canvas

    cjk_font()  # registered once per process, as in a worker

    def certificate(n: int) -> None:
        content = CertificateContent(
            holder_name=name(n),
            id_number="310***********1234",
            title="重大事故隐患判定标准培训",
            hours="24",
            issued_on="2026年3月20日",
            valid_until="2029年3月20日",
            number=f"XJ-2026-{n:06d}",
            verify_url=f"https://aq.xujing.example/verify/{secrets.token_urlsafe(24)}/",
        )
        certificate_pdf_write(io.BytesIO(), content)

    def bare(n: int) -> None:
        canvas = pdf_canvas(io.BytesIO())
        canvas.drawString(72, 700, f"徐泾镇安全生产培训 {name(n)}")
        canvas.showPage()
        canvas.save()

    results = {}
    for label, make in (("certificate", certificate), ("bare page", bare)):
        make(0)
        started = time.perf_counter()
        for n in range(count):
            make(n)
        results[label] = count / (time.perf_counter() - started)
    print(f"{count} PDFs each, one process:")
    for label, rate in results.items():
        print(f"  {label:<12} {rate:8.1f} PDFs/s")
    print(f"  certificate / bare: {results['bare page'] / results['certificate']:.2f}x slower")
    figure(
        issue=7,
        name="certificate PDF, one process",
        size=f"{count} PDFs",
        value=results["certificate"],
        unit="PDFs/s",
        floor=results["bare page"],
        floor_name="bare reportlab page",
    )


def prepare(count: int):
    from django.core.management import call_command

    from certificates.models import IssuedCertificate
    from certificates.services.issued import certificate_number_allocate
    from directory.constants import AccountRole
    from directory.demo import credit_code_make, id_number_make
    from directory.models import Department, Enterprise, Industry, Person, User, Village

    call_command("migrate", verbosity=0)
    enterprise = Enterprise.objects.create(
        name="基准企业",
        credit_code=credit_code_make(1),
        village=Village.objects.create(name="徐泾村"),
        industry=Industry.objects.create(name="机械制造"),
        lead_department=Department.objects.create(name="经发办"),
    )
    people = Person.objects.bulk_create(
        [
            Person(name=name(n), id_number=id_number_make(n + 1), employer=enterprise)
            for n in range(count)
        ],
        batch_size=1000,
    )
    IssuedCertificate.objects.bulk_create(
        [
            IssuedCertificate(
                number=certificate_number_allocate(year=2026),
                holder=person,
                title="重大事故隐患判定标准培训",
                kind="officer",
                hours=24,
                issued_on=datetime.date(2026, 3, 20),
            )
            for person in people
        ],
        batch_size=1000,
    )
    return User.objects.create(username="bench", role=AccountRole.TOWN_OFFICE)


def batch(count: int, use_tracemalloc: bool) -> None:
    from certificates.models import CertificateBatch, CertificateBatchItem, IssuedCertificate
    from certificates.services.issued_batches import certificate_batch_process

    user = prepare(count)
    ids = list(IssuedCertificate.objects.order_by("pk").values_list("pk", flat=True))
    print(f"Batch of {count} certificates through certificate_batch_process:")
    for fmt in ("pdf", "zip"):
        job = CertificateBatch.objects.create(created_by=user, format=fmt, total=len(ids))
        CertificateBatchItem.objects.bulk_create(
            [
                CertificateBatchItem(batch=job, certificate_id=pk, position=i)
                for i, pk in enumerate(ids)
            ],
            batch_size=1000,
        )
        before = maxrss_mb()
        if use_tracemalloc:
            tracemalloc.start()
        started = time.perf_counter()
        job = certificate_batch_process(batch_id=job.pk)
        seconds = time.perf_counter() - started
        heap = ""
        if use_tracemalloc:
            heap = f", Python heap peak {tracemalloc.get_traced_memory()[1] / 2**20:.1f} MB"
            tracemalloc.stop()
        size = job.file.size / 2**20
        print(
            f"  {fmt}: {seconds:6.1f} s ({count / seconds:6.1f} certificates/s), file {size:.1f} MB, "
            f"ru_maxrss {before:.0f} -> {maxrss_mb():.0f} MB{heap}"
        )
        figure(
            issue=7,
            name=f"certificate batch ({fmt})",
            size=f"{count:,} certificates",
            value=count / seconds,
            unit="certificates/s",
        )
        figure(
            issue=7,
            name=f"certificate batch ({fmt}): peak resident memory",
            size=f"{count:,} certificates",
            value=maxrss_mb(),
            unit="MB",
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pdfs", type=int, default=300)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        django_setup(os.path.join(folder, "bench.sqlite3"))
        rates(args.pdfs)
        batch(args.batch, args.tracemalloc)


if __name__ == "__main__":
    main()

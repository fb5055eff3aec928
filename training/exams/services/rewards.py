"""What passing an assessment earns: study hours in the ledger and, per setting, a certificate."""

import datetime

from django.db import transaction
from django.utils import timezone

from training.exams.models.attempts import Attempt
from training.learning.services.ledger import ledger_exam_credit


@transaction.atomic
def exam_pass_rewards(*, attempt: Attempt) -> None:
    """Write the ledger entry once per exam and person, and issue the exam's certificate.

    Safe to call again (a retried submit): the entry is recorded on the attempt and looked for
    on the person's other attempts; certificate_issue is idempotent per exam and holder.
    """
    attempt = (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("exam", "person")
        .get(pk=attempt.pk)
    )
    exam, person = attempt.exam, attempt.person
    if not attempt.passed or person is None:
        return
    if exam.ledger_hours > 0 and attempt.ledger_entry_id is None:
        credited = Attempt.objects.filter(
            exam=exam, person=person, ledger_entry__isnull=False
        ).exists()
        if not credited:
            attempt.ledger_entry = ledger_exam_credit(
                person=person,
                hours=exam.ledger_hours,
                date=timezone.localdate(attempt.submitted_at),
                training_name=exam.title,
                training_type=str(exam.get_kind_display()),
            )
            attempt.save(update_fields=["ledger_entry"])
    if exam.certificate_title:
        from certificates.models.issued import CertificateKind
        from certificates.services.issued import certificate_issue

        issued_on = timezone.localdate(attempt.submitted_at)
        valid_until = None
        if exam.certificate_valid_years:
            start = issued_on - datetime.timedelta(days=1)
            valid_until = start.replace(
                year=start.year + exam.certificate_valid_years, day=min(start.day, 28)
            )
        certificate_issue(
            holder=person,
            title=exam.certificate_title,
            kind=CertificateKind.EXAM,
            source=exam,
            hours=exam.ledger_hours,
            issued_on=issued_on,
            valid_until=valid_until,
        )

"""Attempts: the server holds the drawn paper, every acknowledged answer and the deadline."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from directory.models import NOT_ARCHIVED, Archivable, archived_has_reason


class AttemptStatus(models.TextChoices):
    STARTED = "started", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    AUTO_SUBMITTED = "auto_submitted", _("Submitted when time ran out")


class Attempt(Archivable):
    """One sitting of an exam.

    `items` is the paper as drawn: [{"q": question id, "s": score, "o": option order}], where
    "o" lists the question's option indexes in the order shown. `answers` maps a position
    ("0", "1", …) to the chosen options as the question's own letters ("ACD"); `marks` lists the
    positions marked for review; `results` maps a position to right / wrong once graded.
    """

    exam = models.ForeignKey(
        "training.Exam", on_delete=models.CASCADE, related_name="attempts", verbose_name=_("exam")
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exam_attempts",
        verbose_name=_("person"),
    )
    participant = models.ForeignKey(
        "training.ContestParticipant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attempts",
        verbose_name=_("participant"),
    )
    number = models.PositiveSmallIntegerField(_("attempt number"), default=1)
    status = models.CharField(
        _("status"), max_length=20, choices=AttemptStatus.choices, default=AttemptStatus.STARTED
    )
    started_at = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(pgettext_lazy("exam attempt", "deadline"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    items = models.JSONField(default=list)
    answers = models.JSONField(default=dict)
    marks = models.JSONField(default=list)
    results = models.JSONField(default=dict)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=1, null=True, blank=True)
    max_score = models.DecimalField(_("full marks"), max_digits=6, decimal_places=1, default=0)
    passed = models.BooleanField(_("passed"), null=True)
    ledger_entry = models.OneToOneField(
        "training.StudyHourEntry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("exam attempt")
        verbose_name_plural = _("exam attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "person"],
                condition=Q(status="started", person__isnull=False) & NOT_ARCHIVED,
                name="exams_one_open_attempt_per_person",
            ),
            models.UniqueConstraint(
                fields=["exam", "person", "number"],
                condition=Q(person__isnull=False) & NOT_ARCHIVED,
                name="exams_attempt_number_once",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(participant__isnull=False),
                name="exams_attempt_has_taker",
            ),
            archived_has_reason("exams_attempt_archived_has_reason"),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="exams_attempt_open_idx")]

    def __str__(self):
        return f"{self.exam} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.STARTED

    @property
    def percent(self):
        if self.score is None or not self.max_score:
            return None
        return round(self.score * 100 / self.max_score, 1)


class ContestParticipant(models.Model):
    """Someone taking the public contest: a person of the registry (logged in) or a visitor
    bound to the browser that joined (a signed cookie), with name, phone and unit."""

    exam = models.ForeignKey(
        "training.Exam",
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("exam"),
    )
    # Set when a logged-in person joined: name, phone and unit then come from the registry.
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name"), max_length=50)
    # Not unique: a phone typed in another browser starts another participant (no takeover);
    # the rankings count one participant per phone (training.exams.selectors.contest).
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    enterprise = models.ForeignKey(
        "directory.Enterprise",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enterprise"),
    )
    village = models.ForeignKey(
        "directory.Village",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("village"),
    )
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("contest participant")
        verbose_name_plural = _("contest participants")
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "person"],
                condition=Q(person__isnull=False),
                name="exams_participant_person_once",
            )
        ]
        indexes = [models.Index(fields=["exam", "phone"], name="exams_participant_phone_idx")]

    def __str__(self):
        return self.name

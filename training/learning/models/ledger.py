"""The study-hours ledger: every credited 学时 is one entry; totals are sums of entries."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory.models import NOT_ARCHIVED, Archivable, archived_has_reason
from training.common.hours import ENTRY_MAX_HOURS, hours_over_limit_message


class HourSource(models.TextChoices):
    """Where credited hours come from (DESIGN.md, "Data that flows")."""

    ONLINE_LESSON = "online_lesson", _("Online lesson")
    OFFLINE_SESSION = "offline_session", _("Offline session")
    EXAM = "exam", _("Exam")
    IMPORTED = "imported", _("Imported history")


class TrainingLevel(models.TextChoices):
    """The level of three-level training (《生产经营单位安全培训规定》第十二条: 厂、车间、班组)."""

    PLANT = "plant", _("Plant level")
    WORKSHOP = "workshop", _("Workshop level")
    TEAM = "team", _("Team level")


class TrainingTopic(models.TextChoices):
    """What a training was about, where a rule asks for a subject of its own (公安部61号令 第三十六条:
    fire-safety training)."""

    GENERAL = "general", _("General safety training")
    FIRE_SAFETY = "fire_safety", _("Fire-safety training")


class StudyHourEntry(Archivable):
    """One credit of study hours to one person; the single source of every hours total."""

    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        related_name="study_hours",
        verbose_name=_("person"),
    )
    source = models.CharField(_("source"), max_length=20, choices=HourSource.choices)
    hours = models.DecimalField(_("study hours"), max_digits=5, decimal_places=1)
    date = models.DateField(_("date"))
    course = models.ForeignKey(
        "content.CoursePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("course"),
    )
    lesson = models.ForeignKey(
        "content.LessonPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lesson"),
    )
    # Imported history names its training in words: there is no course to point to.
    training_name = models.CharField(_("training name"), max_length=200, blank=True)
    training_type = models.CharField(_("training type"), max_length=50, blank=True)
    level = models.CharField(
        _("training level"),
        max_length=10,
        choices=TrainingLevel.choices,
        blank=True,
        help_text=_("Plant, workshop or team level of three-level training, when it is one."),
    )
    topic = models.CharField(
        _("training topic"),
        max_length=20,
        choices=TrainingTopic.choices,
        default=TrainingTopic.GENERAL,
        help_text=_("Fire-safety training counts towards the fire-training duty (第三十六条)."),
    )
    organisation = models.CharField(_("training organisation"), max_length=200, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("study-hours entry")
        verbose_name_plural = _("study-hours ledger")
        # The hours (and whether the row is archived) are carried in the index so the
        # dashboards' sums per person and month read the index alone (an index-only scan on
        # PostgreSQL; SQLite ignores `include`).
        indexes = [
            models.Index(
                fields=["person", "date"],
                include=["hours", "archived_at"],
                name="training_ledger_person_date",
            ),
            # The ledger's listing, newest first: its first page without sorting 3M rows.
            models.Index(fields=["-date", "-id"], name="training_ledger_newest"),
            # The fire-training duty reads only fire-safety entries that count: a small index.
            models.Index(
                fields=["person", "date"],
                condition=Q(topic="fire_safety", archived_at__isnull=True),
                name="training_ledger_fire_person",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_hours_positive"),
            models.CheckConstraint(
                condition=Q(hours__lte=ENTRY_MAX_HOURS), name="training_hours_at_most_longest_rule"
            ),
            # A lesson is credited once per person, however many tabs or retries complete it.
            models.UniqueConstraint(
                fields=["person", "lesson"],
                condition=Q(source="online_lesson") & NOT_ARCHIVED,
                name="training_one_credit_per_lesson",
            ),
            models.CheckConstraint(
                condition=~Q(source="online_lesson") | Q(lesson__isnull=False),
                name="training_online_entry_has_lesson",
            ),
            # Importing the same history file twice adds nothing.
            models.UniqueConstraint(
                fields=["person", "date", "training_name"],
                condition=Q(source="imported") & NOT_ARCHIVED,
                name="training_one_imported_row",
            ),
            archived_has_reason("training_ledger_archived_has_reason"),
        ]

    def __str__(self):
        return f"{self.person} {self.hours} {self.date:%Y-%m-%d}"

    def clean(self):
        if self.hours is not None and self.hours <= Decimal("0"):
            raise ValidationError({"hours": _("Hours must be more than zero.")})
        if self.hours is not None and self.hours > ENTRY_MAX_HOURS:
            raise ValidationError({"hours": hours_over_limit_message()})
        if self.source == HourSource.IMPORTED and not self.training_name:
            raise ValidationError({"training_name": _("Name the training.")})

    @property
    def title(self) -> str:
        if self.lesson_id and self.lesson:
            return self.lesson.title
        if self.course_id and self.course:
            return self.course.title
        return self.training_name

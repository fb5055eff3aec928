"""Offline training sessions (培训班) and their attendance: the roster, sign-ins and marks."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.constants import EmploymentType
from directory.models import NOT_ARCHIVED, Archivable, archived_has_reason
from training.common.hours import ENTRY_MAX_HOURS
from training.common.models import AudienceFields


def time_span(starts_at, ends_at) -> str:
    """Two moments in local time, the end's date written only when it is another day."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    first = f"{start:%Y年%-m月%-d日 %H:%M}"
    if end.date() == start.date():
        return f"{first} – {end:%H:%M}"
    return f"{first} – {end:%Y年%-m月%-d日 %H:%M}"


class SessionKind(models.TextChoices):
    """The kinds of offline training the town plan and the rules name (regulations.md §2, §8)."""

    PRINCIPAL = "principal", _("Principals' special training")
    CRITERIA = "criteria", _("Major-hazard criteria study")
    INSPECTORS = "inspectors", _("Inspectors' centralized training")
    WORKERS = "workers", _("Employee training")
    FIRE = "fire", _("Fire-safety training")
    REFRESHER = "refresher", _("Refresher training")
    # The town's leaders' own duties (plan item 一(一)1): the 镇党委政府理论学习中心组 studies
    # work safety at least once a year; the principal leaders meet on it at least once a quarter.
    CENTRE_GROUP = "centre_group", _("Theory study centre group: work safety")
    LEADERS_MEETING = "leaders_meeting", _("Principal leaders' safety meeting")
    OTHER = "other", _("Other")


class SessionMode(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class TrainingSession(AudienceFields):
    """One offline (or live online) session organised by the district, a department or an enterprise.

    Its roster is the set of Attendance rows, made from the audience when the session is created
    (training.sessions.services.roster.session_create); hours go to the ledger once the organiser confirms.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    title = models.CharField(_("title"), max_length=200)
    # No organising unit means the town (district) itself.
    organiser_department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organising department"),
    )
    organiser_enterprise = models.ForeignKey(
        "directory.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organising enterprise"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    mode = models.CharField(
        _("mode"), max_length=10, choices=SessionMode.choices, default=SessionMode.ON_SITE
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    lecturer = models.CharField(_("lecturer"), max_length=100, blank=True)
    hours = models.DecimalField(
        _("study hours credited"),
        max_digits=4,
        decimal_places=1,
        validators=[MaxValueValidator(ENTRY_MAX_HOURS)],
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    audience_employment_type = models.CharField(
        _("employment type"), max_length=20, choices=EmploymentType.choices, blank=True
    )
    materials = models.ManyToManyField(
        "wagtailcore.Page",
        blank=True,
        related_name="+",
        verbose_name=_("materials (criteria pages, courses)"),
    )
    admit_uninvited = models.BooleanField(
        _("admit uninvited people who scan the code"), default=False
    )
    sign_out_enabled = models.BooleanField(
        _("sign-out: hours follow the time present"), default=False
    )
    confirmed_at = models.DateTimeField(_("attendance confirmed"), null=True, blank=True)
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
        ordering = ["-starts_at"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(organiser_department__isnull=True)
                | Q(organiser_enterprise__isnull=True),
                name="training_session_one_organiser",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="training_session_ends_after"
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_session_hours"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The session must end after it starts.")})
        if self.mode != SessionMode.ONLINE and not self.place:
            raise ValidationError({"place": _("Give the place of an on-site session.")})

    @property
    def span(self) -> str:
        """When, in local time: 2026年12月5日 09:00 – 11:00, or with both dates when the session
        ends on another day (22:00 – 00:00 across midnight reads 5日 22:00 – 6日 00:00)."""
        return time_span(self.starts_at, self.ends_at)

    @property
    def organiser_label(self) -> str:
        unit = self.organiser_department or self.organiser_enterprise
        return str(unit) if unit else str(_("Town"))


class AttendanceStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


# Statuses whose hours are credited when the organiser confirms the session.
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class SignInMethod(models.TextChoices):
    QR = "qr", _("QR code")
    MANUAL = "manual", _("Marked by the organiser")
    SHEET = "sheet", _("Paper sheet")


class Attendance(Archivable):
    """One person on one session's roster: invited or admitted, then signed in or marked."""

    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("session"),
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        related_name="session_attendances",
        verbose_name=_("person"),
    )
    invited = models.BooleanField(_("invited"), default=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.INVITED,
    )
    signed_in_at = models.DateTimeField(_("signed in"), null=True, blank=True)
    signed_out_at = models.DateTimeField(_("signed out"), null=True, blank=True)
    method = models.CharField(_("how"), max_length=10, choices=SignInMethod.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked by"),
    )
    # The ledger entry written when the organiser confirmed: its presence is the "once".
    ledger_entry = models.OneToOneField(
        "training.StudyHourEntry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="session_attendance",
        verbose_name=_("ledger entry"),
    )

    class Meta:
        ordering = ["session", "person__name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], condition=NOT_ARCHIVED, name="training_attend_once"
            ),
            archived_has_reason("training_attendance_archived_has_reason"),
        ]

    def __str__(self):
        return f"{self.session_id}/{self.person_id}"

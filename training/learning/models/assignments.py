"""Who takes which course: assignments by an office or enterprise, and each person's enrolment."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory.constants import EmploymentType
from training.common.models import AudienceFields


class CourseAssignment(AudienceFields):
    """A course assigned to an audience with a due date, by a department, the town or an enterprise.

    The audience is every in-scope person matching all the criteria given (and the listed people);
    its members are enrolled when the assignment is made (training.learning.services.assignments.assignment_create).
    """

    course = models.ForeignKey(
        "content.CoursePage",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("course"),
    )
    due_date = models.DateField(_("due date"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    # The issuing unit, which decides who sees and manages the assignment.
    issuer_department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issuing department"),
    )
    issuer_enterprise = models.ForeignKey(
        "directory.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issuing enterprise"),
    )
    audience_employment_type = models.CharField(
        _("employment type"), max_length=20, choices=EmploymentType.choices, blank=True
    )
    audience_people = models.ManyToManyField(
        "directory.Person", blank=True, related_name="+", verbose_name=_("people")
    )
    enrolled_count = models.PositiveIntegerField(_("people enrolled"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("course assignment")
        verbose_name_plural = _("course assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(issuer_department__isnull=True) | Q(issuer_enterprise__isnull=True),
                name="training_assignment_one_issuer",
            )
        ]

    def __str__(self):
        return f"{self.course} ({self.due_date:%Y-%m-%d})"


class Enrolment(models.Model):
    """A person taking a course: assigned (with a due date) or enrolled by themselves."""

    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("person"),
    )
    course = models.ForeignKey(
        "content.CoursePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("course"),
    )
    assignment = models.ForeignKey(
        CourseAssignment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("assignment"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    enrolled_at = models.DateTimeField(_("enrolled"), auto_now_add=True)

    class Meta:
        ordering = [models.F("due_date").asc(nulls_last=True), "-enrolled_at"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["person", "course"], name="training_enrol_once")
        ]

    def __str__(self):
        return f"{self.person_id}/{self.course_id}"

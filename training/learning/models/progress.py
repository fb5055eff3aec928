"""Online learning: a person's progress in each lesson, and the one clock all their players share."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LessonProgress(models.Model):
    """How much of a lesson a person has been credited for, and where to resume."""

    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.CASCADE,
        related_name="lesson_progress",
        verbose_name=_("person"),
    )
    lesson = models.ForeignKey(
        "content.LessonPage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("lesson"),
    )
    position_seconds = models.FloatField(_("resume position (s)"), default=0)
    credited_seconds = models.FloatField(_("credited time (s)"), default=0)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # The last report applied (player session and its sequence number): a report sent twice is
    # applied once.
    last_session = models.CharField(max_length=40, blank=True)
    last_seq = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["person", "lesson"], name="training_progress_once"),
            models.CheckConstraint(
                condition=models.Q(credited_seconds__gte=0), name="training_credit_non_negative"
            ),
        ]

    def __str__(self):
        return f"{self.person_id}/{self.lesson_id}"


class StudyClock(models.Model):
    """Per person: when a report was last accepted, whatever the lesson or browser tab.

    Credit is bounded by real time elapsed since then, so two tabs cannot double time. It also
    holds the presence check: the prompt waiting for an answer, and the watching left before
    the next one.
    """

    person = models.OneToOneField(
        "directory.Person",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="study_clock",
        verbose_name=_("person"),
    )
    last_beat_at = models.DateTimeField(null=True, blank=True)
    seconds_to_check = models.FloatField(null=True, blank=True)
    check_prompt = models.CharField(max_length=100, blank=True)
    check_answer = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("study clock")
        verbose_name_plural = _("study clocks")

    def __str__(self):
        return str(self.person_id)

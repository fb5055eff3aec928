"""Papers (fixed questions and draw rules) and exams (a paper, an audience, a window, settings)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from training.common.hours import ENTRY_MAX_HOURS
from training.common.models import AudienceFields
from training.exams.models.banks import QuestionType

# regulations.md §1, §3: the assessment passes at 80 of 100.
DEFAULT_PASS_MARK = 80


class Paper(models.Model):
    """A paper: fixed questions and / or rules drawing N questions per attempt."""

    name = models.CharField(_("name"), max_length=100)
    owner_department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owning department"),
    )
    shuffle_options = models.BooleanField(_("shuffle options per attempt"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("paper")
        verbose_name_plural = _("papers")

    def __str__(self):
        return self.name


class PaperQuestion(models.Model):
    """A question every attempt of the paper gets, in its position."""

    paper = models.ForeignKey(
        Paper, on_delete=models.CASCADE, related_name="fixed_questions", verbose_name=_("paper")
    )
    question = models.ForeignKey(
        "training.Question", on_delete=models.PROTECT, related_name="+", verbose_name=_("question")
    )
    score = models.DecimalField(
        _("score"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("fixed question")
        verbose_name_plural = _("fixed questions")
        constraints = [
            models.UniqueConstraint(fields=["paper", "question"], name="exams_paper_question_once")
        ]

    def __str__(self):
        return f"{self.paper} · {self.question}"


class DrawRule(models.Model):
    """Draw `count` questions of a type (and knowledge point) from a bank, each worth `score`."""

    paper = models.ForeignKey(
        Paper, on_delete=models.CASCADE, related_name="draw_rules", verbose_name=_("paper")
    )
    bank = models.ForeignKey(
        "training.QuestionBank", on_delete=models.PROTECT, related_name="+", verbose_name=_("bank")
    )
    category = models.ForeignKey(
        "training.QuestionCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("knowledge point"),
    )
    qtype = models.CharField(_("question type"), max_length=20, choices=QuestionType.choices)
    count = models.PositiveSmallIntegerField(
        _("number of questions"), validators=[MinValueValidator(1)]
    )
    score = models.DecimalField(
        _("score each"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("draw rule")
        verbose_name_plural = _("draw rules")

    def __str__(self):
        return f"{self.paper} · {self.get_qtype_display()} × {self.count}"


class ExamKind(models.TextChoices):
    COURSE_QUIZ = "course_quiz", _("Course quiz")
    ASSESSMENT = "assessment", _("Principal / safety manager assessment")
    HAZARD_CRITERIA = "hazard_criteria", _("Hazard criteria test")
    INSPECTOR = "inspector", _("Inspector annual test")
    CONTEST = "contest", _("Knowledge contest")


class ExamMode(models.TextChoices):
    PRACTICE = "practice", _("Practice (feedback per answer)")
    FORMAL = "formal", _("Formal")


class ReviewPolicy(models.TextChoices):
    NEVER = "never", _("Score only")
    AFTER_SUBMIT = "after_submit", _("Review after submitting")
    AFTER_CLOSE = "after_close", _("Review after the exam closes")


class ExamLayout(models.TextChoices):
    ONE_PER_SCREEN = "one", _("One question per screen")
    ALL = "all", _("All questions on one page")


class Exam(AudienceFields):
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ExamKind.choices)
    paper = models.ForeignKey(
        Paper, on_delete=models.PROTECT, related_name="exams", verbose_name=_("paper")
    )
    owner_department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owning department"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    audience_people = models.ManyToManyField(
        "directory.Person", blank=True, related_name="+", verbose_name=_("people")
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (of 100)"), default=DEFAULT_PASS_MARK, validators=[MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=1, validators=[MinValueValidator(1)]
    )
    mode = models.CharField(
        _("mode"), max_length=20, choices=ExamMode.choices, default=ExamMode.FORMAL
    )
    review = models.CharField(
        pgettext_lazy("exam answers", "review"),
        max_length=20,
        choices=ReviewPolicy.choices,
        default=ReviewPolicy.AFTER_CLOSE,
    )
    layout = models.CharField(
        _("layout"), max_length=10, choices=ExamLayout.choices, default=ExamLayout.ONE_PER_SCREEN
    )
    ledger_hours = models.DecimalField(
        _("study hours on passing"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(ENTRY_MAX_HOURS)],
    )
    certificate_title = models.CharField(
        _("certificate on passing"),
        max_length=200,
        blank=True,
        help_text=_("Empty: no certificate is issued."),
    )
    certificate_valid_years = models.PositiveSmallIntegerField(
        _("certificate valid (years)"), null=True, blank=True
    )
    daily_quota = models.PositiveSmallIntegerField(
        _("attempts per day (contest)"), default=3, validators=[MinValueValidator(1)]
    )
    # A contest is published on a campaign page: the page shows its entry and rankings
    # (content never imports training: the page's template loads training's `contest` tags).
    campaign_page = models.ForeignKey(
        "content.CampaignPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("campaign page (contest)"),
        help_text=_("The campaign page that shows this contest's entry and rankings."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("exam")
        verbose_name_plural = _("exams")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="exams_exam_window_order"
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The exam must close after it opens.")})
        if self.campaign_page_id and self.kind != ExamKind.CONTEST:
            raise ValidationError(
                {"campaign_page": _("Only a knowledge contest is shown on a campaign page.")}
            )

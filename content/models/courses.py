"""Online courses: a course page with its lessons as ordered child pages.

Progress, enrolment and hours belong to `training`; a lesson's template asks training's
`learning` template tags for the player, so this module never imports training.
"""

from decimal import ROUND_FLOOR, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from content.blocks import DocumentBlock, RichTextBlock, anchor_for
from content.models.base import ContentPage


def study_hour_seconds() -> int:
    """Seconds in one 学时 (regulations.md §2: "1 学时 = 45 minutes is the usual convention",
    marked R, so it is the setting STUDY_HOUR_MINUTES)."""
    return max(1, round(float(settings.STUDY_HOUR_MINUTES) * 60))


def study_hours_in(seconds: float) -> Decimal:
    """The 学时 that so many seconds of study make, rounded *down* to the tenth the ledger keeps:
    what is credited never exceeds the time it stands for (a 5-second clip makes 0.0)."""
    tenths = (Decimal(repr(float(seconds))) * 10 / study_hour_seconds()).to_integral_value(
        rounding=ROUND_FLOOR
    )
    return (max(Decimal("0"), tenths) / 10).quantize(Decimal("0.1"))


def video_hours_cap(video) -> Decimal | None:
    """The most 学时 a lesson with this video holds: the video's length, read when it was
    uploaded (content.media); None without a video or a known length."""
    if video is None or not video.duration:
        return None
    return study_hours_in(video.duration)


def study_hours_error(*, video, hours: Decimal | None) -> str | None:
    """Why an editor's hours cannot stand for a lesson with this video, or None."""
    cap = video_hours_cap(video)
    if cap is None or hours is None or hours <= cap:
        return None
    from content.templatetags.content_tags import duration

    field = LessonPage._meta.get_field("study_hours").verbose_name
    return _(
        "%(field)s: the video lasts %(duration)s, which holds at most %(cap)s study hours "
        "(1 study hour = %(minutes)s minutes). Enter %(cap)s or less, or choose a longer video."
    ) % {
        "field": field,
        "duration": duration(video.duration),
        "cap": cap,
        "minutes": settings.STUDY_HOUR_MINUTES,
    }


class LessonPageForm(WagtailAdminPageForm):
    """The editor's lesson form: refuses more hours than the chosen video holds.

    The check sits on the editor's save rather than on every `save()`: publishing a revision
    written before the rule (scheduled go-live, an approval) must not fail, and what such a
    lesson credits is capped anyway when it is credited (`LessonPage.credit_hours`).
    """

    def clean(self):
        cleaned_data = super().clean()
        message = study_hours_error(
            video=cleaned_data.get("video"), hours=cleaned_data.get("study_hours")
        )
        if message:
            self.add_error("study_hours", message)
        return cleaned_data


class HazardReferenceValue(blocks.StructValue):
    @property
    def anchor(self) -> str:
        return anchor_for(self.get("number") or "")


class HazardReferenceBlock(blocks.StructBlock):
    """A hazard item of a criteria page that a course teaches, cited by its number."""

    criteria = blocks.PageChooserBlock(label=_("Criteria"), page_type="content.CriteriaPage")
    number = blocks.CharBlock(label=_("Item number"), max_length=40)

    class Meta:
        icon = "warning"
        template = "content/blocks/hazard_reference.html"
        value_class = HazardReferenceValue
        label = _("Hazard item")
        description = _("A hazard item of a criteria standard this course teaches.")


def lesson_body_blocks() -> list:
    return [("text", RichTextBlock()), ("document", DocumentBlock())]


class CourseIndexPage(ContentPage):
    """The course catalogue (课程中心): every online course."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.CoursePage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = CoursePage.objects.live().child_of(self)
        return context

    class Meta:
        verbose_name = _("course index page")
        verbose_name_plural = _("course index page")


class CoursePage(ContentPage):
    """An online course: a summary, the criteria it teaches, and its lessons as child pages."""

    summary = models.TextField(_("summary"), blank=True)
    intro = RichTextField(_("introduction"), blank=True)
    open_enrolment = models.BooleanField(
        _("open to every learner"),
        default=True,
        help_text=_("Learners may enrol themselves; otherwise only assigned learners take it."),
    )
    presence_check = models.BooleanField(
        _("presence check"),
        default=False,
        help_text=_("Now and then ask the learner to answer a prompt; hours pause until answered."),
    )
    criteria = ParentalManyToManyField(
        "content.CriteriaPage", blank=True, related_name="courses", verbose_name=_("criteria")
    )
    hazard_items = StreamField(
        [("hazard_item", HazardReferenceBlock())],
        verbose_name=_("hazard items taught"),
        blank=True,
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("open_enrolment"), FieldPanel("presence_check")],
            heading=_("Learning"),
        ),
        FieldPanel("criteria"),
        FieldPanel("hazard_items"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]

    parent_page_types = ["content.CourseIndexPage"]
    subpage_types = ["content.LessonPage"]

    def lessons(self):
        """The live lessons in the editor's order (the page tree's order)."""
        return LessonPage.objects.live().child_of(self).select_related("video")

    def total_hours(self) -> Decimal:
        """What completing every live lesson credits."""
        return sum((lesson.credit_hours() for lesson in self.lessons()), Decimal("0"))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = list(self.lessons())
        context["total_hours"] = sum(
            (lesson.credit_hours() for lesson in context["lessons"]), Decimal("0")
        )
        return context

    class Meta:
        verbose_name = _("course page")
        verbose_name_plural = _("course page")


class LessonPage(ContentPage):
    """One lesson of a course: a video, rich text and documents, worth a number of 学时."""

    video = models.ForeignKey(
        "content.Video",
        verbose_name=_("video"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lessons",
    )
    study_hours = models.DecimalField(
        _("study hours (学时)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Hours credited on completion; left at 0, computed from the video's length."),
    )
    body = StreamField(lesson_body_blocks(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("video"),
        FieldPanel("study_hours"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    parent_page_types = ["content.CoursePage"]
    subpage_types = []

    base_form_class = LessonPageForm

    def clean(self):
        super().clean()
        cap = self.study_hours_cap()
        if self.study_hours:
            return
        if cap is None:
            raise ValidationError(
                {"study_hours": _("Give the hours this lesson credits, or choose a video.")}
            )
        # Left at 0: filled in from the video (a clip under a tenth of a 学时 credits nothing).
        self.study_hours = cap

    def study_hours_cap(self) -> Decimal | None:
        """The most 学时 the lesson's content holds, or None when it has no measured length.

        A video lesson holds its video's length. A reading lesson, or a video whose length is
        unknown, holds what the editor typed: the learner must then spend that whole time on
        the page (`required_seconds`), so the credit is still backed by study time. The
        regulations define a 学时 by time, not by text, so there is no reading speed to apply.
        """
        return video_hours_cap(self.video if self.video_id else None)

    def credit_hours(self) -> Decimal:
        """What completing the lesson credits: the typed hours, never more than the content
        holds -- also for lessons saved before that rule, or whose video was replaced since."""
        cap = self.study_hours_cap()
        return self.study_hours if cap is None else min(self.study_hours, cap)

    def required_seconds(self) -> int:
        """How long a learner must watch (the video) or read (study hours) in full."""
        if self.video_id and self.video.duration:
            return max(1, round(self.video.duration))
        return max(1, round(float(self.study_hours) * study_hour_seconds()))

    @property
    def course(self):
        parent = self.get_parent()
        return parent.specific if parent else None

    class Meta:
        verbose_name = _("lesson page")
        verbose_name_plural = _("lesson page")

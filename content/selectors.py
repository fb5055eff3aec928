"""Reads of the public pages that more than one page needs."""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from wagtail.models import Page, WorkflowState
from wagtail.permission_policies.pages import PagePermissionPolicy

from content.models.campaigns import CampaignIndexPage, CampaignPage, PublicityDate


@dataclass(frozen=True)
class FeaturedCampaign:
    """The campaign the home page shows: a campaign page, or a calendar entry without one yet."""

    start: datetime.date
    end: datetime.date
    current: bool  # running today; else the next one
    page: CampaignPage | None = None
    entry: PublicityDate | None = None

    @property
    def title(self) -> str:
        return self.page.title if self.page else f"{self.start.year}年{self.entry.name}"

    @property
    def theme(self) -> str:
        if self.page is not None:
            return self.page.shown_theme
        return self.entry.theme_of(self.start.year)

    @property
    def poster(self):
        """The page's first poster (an image), or None."""
        if self.page is None:
            return None
        return next((block.value for block in self.page.posters if block.value), None)


def _occurrences(today: datetime.date) -> list[tuple[datetime.date, datetime.date, PublicityDate]]:
    """Each calendar entry's running or next occurrence (this year's, else next year's)."""
    found = []
    for entry in PublicityDate.objects.prefetch_related("themes"):
        for year in (today.year, today.year + 1):
            start, end = entry.occurrence(year)
            if end >= today:
                found.append((start, end, entry))
                break
    return found


def next_publicity_date(today: datetime.date) -> tuple[datetime.date, PublicityDate] | None:
    """The publicity calendar's running or next occurrence: its first day and its entry."""
    occurrences = _occurrences(today)
    if not occurrences:
        return None
    start, _end, entry = min(occurrences, key=lambda found: (found[0], found[2].pk))
    return start, entry


def campaign_index() -> CampaignIndexPage | None:
    """The page campaign pages are added under (the editor's way from the calendar to a page)."""
    return CampaignIndexPage.objects.order_by("path").first()


def pages_editable_by(user) -> QuerySet[Page]:
    """The pages a user may edit (Wagtail's page permissions)."""
    return PagePermissionPolicy().instances_user_has_permission_for(user, "change")


def pages_with_drafts(user) -> QuerySet[Page]:
    """Pages the user may edit whose latest edits are not published (new drafts included), the
    tree root aside; the latest edited first."""
    return (
        pages_editable_by(user)
        .filter(depth__gt=1, has_unpublished_changes=True)
        .order_by("-latest_revision_created_at", "pk")
    )


def pages_in_moderation(user) -> QuerySet[WorkflowState]:
    """Pages the user may edit waiting for review (their workflow in progress): what Wagtail's
    workflow report lists with the status "in progress"."""
    editable = pages_editable_by(user).values_list(Cast("id", CharField()), flat=True)
    return WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS,
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id__in=editable,
    )


def campaign_featured(*, root: Page, today: datetime.date) -> FeaturedCampaign | None:
    """The campaign running today, else the next by the publicity calendar or by a campaign page's
    dates, whichever comes first; with the campaign page of that occurrence when there is one.

    Of several running, the one ending first (安全宣传咨询日 on 16 June inside 安全生产月).
    Four queries at most, and the poster's image.
    """
    pages = (
        CampaignPage.objects.live()
        .descendant_of(root)
        .select_related("calendar_entry")
        .prefetch_related("calendar_entry__themes")
    )
    running = (
        pages.filter(start_date__lte=today, end_date__gte=today)
        .order_by("end_date", "-start_date", "pk")
        .first()
    )
    if running is not None:
        return FeaturedCampaign(
            page=running,
            entry=running.calendar_entry,
            start=running.start_date,
            end=running.end_date,
            current=True,
        )
    # Running ones first, the one ending first; then the next to start.
    occurrences = sorted(
        _occurrences(today),
        key=lambda found: (found[0] > today, found[1] if found[0] <= today else found[0]),
    )
    upcoming = pages.filter(start_date__gt=today).order_by("start_date", "pk").first()
    if occurrences and (upcoming is None or occurrences[0][0] <= upcoming.start_date):
        start, end, entry = occurrences[0]
        page = (
            pages.filter(Q(calendar_entry=entry) | Q(calendar_entry__isnull=True, kind=entry.kind))
            .filter(year=start.year)
            .order_by("start_date", "pk")
            .first()
        )
        if page is not None:
            return FeaturedCampaign(
                page=page,
                entry=entry,
                start=page.start_date,
                end=page.end_date,
                current=start <= today,
            )
        return FeaturedCampaign(entry=entry, start=start, end=end, current=start <= today)
    if upcoming is not None:
        return FeaturedCampaign(
            page=upcoming,
            entry=upcoming.calendar_entry,
            start=upcoming.start_date,
            end=upcoming.end_date,
            current=False,
        )
    return None

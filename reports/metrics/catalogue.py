"""The catalogue of the town plan's coverage metrics, as plain data: code, label, what is counted,
rate or count, and where each comes from.

The reports models (a target's metric choices) read it without importing what computes the
figures; each computing class in this package names its catalogue entry by code (`register`), and
ReportsConfig.ready() loads them and checks that every entry has one.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    """What a metric counts."""

    ENTERPRISES = "enterprises", _("enterprises")
    PEOPLE = "people", _("people")
    MEMBER_UNITS = "member_units", _("member units")


class Kind(models.TextChoices):
    RATE = "rate", _("Rate")
    COUNT = "count", _("Count")


@dataclass(frozen=True)
class MetricEntry:
    code: str
    label: str | Promise
    description: str | Promise
    unit: str
    order: int
    # The plan item or rule the metric comes from (regulations.md).
    source_note: str
    kind: str = Kind.RATE
    # Where a reminded account goes to do what is missing.
    action_link: str = ""


CATALOGUE: tuple[MetricEntry, ...] = (
    MetricEntry(
        code="principal_training",
        label=_("Principal training coverage"),
        description=_(
            "Key-industry enterprises whose current principal attended principal training or "
            "passed the assessment this year / key-industry active enterprises"
        ),
        unit=Unit.ENTERPRISES,
        order=10,
        source_note="徐泾镇三年行动方案 第9条",
        action_link="/sessions/",
    ),
    MetricEntry(
        code="manager_assessment",
        label=_("Safety management assessment pass rate"),
        description=_(
            "Principals and safety managers of high-risk units with a valid management-ability "
            "certificate / those who need one"
        ),
        unit=Unit.PEOPLE,
        order=20,
        source_note="徐泾镇三年行动方案 第19条; regulations.md §3",
        action_link="/me/certificates/",
    ),
    MetricEntry(
        code="special_operator_certified",
        label=_("Special operators certified at work"),
        description=_(
            "Special operators with a valid certificate for their operation / special operators"
        ),
        unit=Unit.PEOPLE,
        order=30,
        source_note="徐泾镇三年行动方案 第19条; regulations.md §1",
        action_link="/me/certificates/",
    ),
    MetricEntry(
        code="training_hours",
        label=_("Employees meeting their training hours"),
        description=_(
            "People whose credited hours meet this year's requirement / people with a requirement"
        ),
        unit=Unit.PEOPLE,
        order=40,
        source_note="徐泾镇三年行动方案 第20条; regulations.md §2",
        action_link="/learning/",
    ),
    MetricEntry(
        code="drills_held",
        label=_("Enterprises that held a drill"),
        description=_(
            "Active enterprises with at least one counted drill of any kind this year / active "
            "enterprises (whether or not the drill meets a duty)"
        ),
        unit=Unit.ENTERPRISES,
        order=48,
        source_note="regulations.md §4",
        action_link="/drills/new/",
    ),
    MetricEntry(
        code="drill_coverage",
        label=_("Annual evacuation drill coverage"),
        description=_(
            "Enterprises that met this year's evacuation-drill duty / active enterprises (only "
            "drills that evacuate count: a gas-leak or rescue drill without evacuation does not)"
        ),
        unit=Unit.ENTERPRISES,
        order=50,
        source_note="徐泾镇三年行动方案 第21条; regulations.md §4",
        action_link="/drills/new/",
    ),
    MetricEntry(
        code="drill_duties_met",
        label=_("Drill duties met"),
        description=_(
            "Enterprises that met every drill duty they owe this year — evacuation, plan, on-site "
            "plan and fire drills, each yearly or each half year — / active enterprises"
        ),
        unit=Unit.ENTERPRISES,
        order=52,
        source_note="regulations.md §4: 应急预案管理办法第三十三条; 国务院令708号第八条; 公安部61号令第四十条",
        action_link="/drills/new/",
    ),
    MetricEntry(
        code="inspector_training",
        label=_("Inspectors' annual training rate"),
        description=_(
            "Inspectors, pool experts and technical inspectors under contract who attended this "
            "year's centralized training / all of them in service"
        ),
        unit=Unit.PEOPLE,
        order=60,
        source_note="徐泾镇三年行动方案 第12条、第26条",
        action_link="/sessions/",
    ),
    MetricEntry(
        code="cadre_training",
        label=_("Leading cadres' compulsory course completed"),
        description=_(
            "Leading cadres in post whose study hours this year reached the compulsory course's "
            "hours / leading cadres in post"
        ),
        unit=Unit.PEOPLE,
        order=65,
        source_note="徐泾镇三年行动方案 一(一)1",
        action_link="/learning/",
    ),
    MetricEntry(
        code="criteria_study",
        label=_("Criteria study sessions held"),
        description=_(
            "Member units that held a criteria study session by the deadline / member units"
        ),
        unit=Unit.MEMBER_UNITS,
        order=70,
        source_note="徐泾镇三年行动方案 第10条",
        action_link="/admin/training/sessions/new/",
    ),
    MetricEntry(
        code="exemplary_enterprises",
        label=_("Exemplary enterprises"),
        description=_("Enterprises named exemplary by the end of the year"),
        unit=Unit.ENTERPRISES,
        kind=Kind.COUNT,
        order=80,
        source_note="徐泾镇三年行动方案: 每个牵头部门2–3家示范企业",
    ),
    MetricEntry(
        code="principal_duties_accepted",
        label=_("Principals' five-leads checklist accepted"),
        description=_(
            "Principals in post whose 五带头 checklist of the year the lead department accepted / "
            "principals in post"
        ),
        unit=Unit.PEOPLE,
        order=92,
        source_note="徐泾镇三年行动方案 第3条",
        action_link="/duties/",
    ),
    MetricEntry(
        code="principal_self_inspection",
        label=_("Principal-led self-inspection this quarter"),
        description=_(
            "Active enterprises whose principal led a major-hazard self-inspection in the quarter "
            "/ active enterprises"
        ),
        unit=Unit.ENTERPRISES,
        order=95,
        source_note="徐泾镇三年行动方案 第12条",
        action_link="/duties/",
    ),
    MetricEntry(
        code="propaganda_reach",
        label=_("People reached by publicity"),
        description=_(
            "Participants of the campaigns' activities (into enterprises, the countryside, "
            "communities, schools and families) and audiences of warning-film showings this year"
        ),
        unit=Unit.PEOPLE,
        kind=Kind.COUNT,
        order=90,
        source_note="徐泾镇三年行动方案 第27条",
    ),
)

_BY_CODE = {entry.code: entry for entry in CATALOGUE}


def metric_entry(code: str) -> MetricEntry | None:
    return _BY_CODE.get(code)


def catalogue_choices() -> list[tuple[str, str | Promise]]:
    """(code, label) of every metric, in the order the dashboards list them."""
    return [(e.code, e.label) for e in sorted(CATALOGUE, key=lambda e: (e.order, e.code))]

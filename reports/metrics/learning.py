"""The training-hours metric, whose source is the learning ledger and the yearly requirements
(training app), not installed on this branch yet: it shows "no data". To plug the source in,
implement `items` and `uncovered` here."""

from django.utils.translation import gettext_lazy as _

from reports.metrics.base import Metric, Unit, register


@register
class TrainingHours(Metric):
    code = "training_hours"
    label = _("Employees meeting their training hours")
    description = _(
        "People whose credited hours meet this year's requirement / people with a requirement"
    )
    unit = Unit.PEOPLE
    order = 40
    source_note = "徐泾镇三年行动方案 第20条; regulations.md §2"

"""Metrics whose source is the offline sessions (principal training, inspectors' centralized
training, criteria study sessions), which no app records yet: they show "no data".

To plug the source in, implement `items` and `uncovered` here (see drills.py for the pattern).
"""

from django.utils.translation import gettext_lazy as _

from reports.metrics.base import Metric, Unit, register


@register
class PrincipalTraining(Metric):
    code = "principal_training"
    label = _("Principal training coverage")
    description = _(
        "Key-industry enterprises whose current principal attended principal training or passed "
        "the assessment this year / key-industry active enterprises"
    )
    unit = Unit.ENTERPRISES
    order = 10
    source_note = "徐泾镇三年行动方案 第9条"


@register
class InspectorTraining(Metric):
    code = "inspector_training"
    label = _("Inspectors' annual training rate")
    description = _("Inspectors who attended this year's centralized training / inspectors")
    unit = Unit.PEOPLE
    order = 60
    source_note = "徐泾镇三年行动方案 第26条"


@register
class CriteriaStudy(Metric):
    code = "criteria_study"
    label = _("Criteria study sessions held")
    description = _(
        "Member units that held a criteria study session by the deadline / member units"
    )
    unit = Unit.MEMBER_UNITS
    order = 70
    source_note = "徐泾镇三年行动方案 第10条"

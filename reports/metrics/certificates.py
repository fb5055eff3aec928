"""Metrics whose source is the registered certificates (certificates app), not installed on this
branch yet: they show "no data". To plug the source in, implement `items` and `uncovered` here."""

from django.utils.translation import gettext_lazy as _

from reports.metrics.base import Metric, Unit, register


@register
class ManagerAssessment(Metric):
    code = "manager_assessment"
    label = _("Safety management assessment pass rate")
    description = _(
        "Principals and safety managers of high-risk units with a valid management-ability "
        "certificate / those who need one"
    )
    unit = Unit.PEOPLE
    order = 20
    source_note = "徐泾镇三年行动方案 第19条; regulations.md §3"


@register
class SpecialOperatorCertified(Metric):
    code = "special_operator_certified"
    label = _("Special operators certified at work")
    description = _(
        "Special operators with a valid certificate for their operation / special operators"
    )
    unit = Unit.PEOPLE
    order = 30
    source_note = "徐泾镇三年行动方案 第19条; regulations.md §1"

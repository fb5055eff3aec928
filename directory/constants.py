"""Fixed vocabularies of the registry, with the rule each one comes from."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountRole(models.TextChoices):
    """What an account does on the platform (shared/DESIGN.md, "Who uses it")."""

    TOWN_OFFICE = "town_office", _("Town safety office")
    DEPARTMENT_OFFICER = "department_officer", _("Department officer")
    VILLAGE_OFFICER = "village_officer", _("Village officer")
    ENTERPRISE_MANAGER = "enterprise_manager", _("Enterprise safety manager")
    LEARNER = "learner", _("Learner")
    EDITOR = "editor", _("Editor")


class PersonRole(models.TextChoices):
    """A person's role(s) in work safety; decides training hours and certificates (regulations.md §1–3)."""

    PRINCIPAL = "principal", _("Principal")
    SAFETY_MANAGER = "safety_manager", _("Safety manager")
    SPECIAL_OPERATOR = "special_operator", _("Special operator")
    GENERAL_WORKER = "general_worker", _("General worker")
    INSPECTOR = "inspector", _("Inspector")
    # 徐泾镇三年行动方案 一(一)1: leaders of the town, its departments and villages (党政领导干部),
    # for whom safety and fire training is a compulsory course.
    CADRE = "cadre", _("Leading cadre")


class EmploymentType(models.TextChoices):
    """Employment types the town plan names (item 20: outsourced, dispatched, flexible workers)."""

    REGULAR = "regular", _("Regular")
    DISPATCHED = "dispatched", _("Dispatched")
    OUTSOURCED = "outsourced", _("Outsourced")
    FLEXIBLE = "flexible", _("Flexible")
    INTERN = "intern", _("Intern")


class RiskClass(models.TextChoices):
    """Industry risk class: decides training hours (regulations.md §2) and drill frequency (§4)."""

    # 《生产经营单位安全培训规定》第九条、第十三条: 煤矿、非煤矿山、危险化学品、烟花爆竹、金属冶炼.
    HIGH_RISK = "high_risk", _("High-risk (mining, hazardous chemicals, fireworks, metal smelting)")
    # 国务院安委会《关于进一步加强安全培训工作的决定》: construction has its own hours.
    CONSTRUCTION = "construction", _("Construction")
    ROAD_TRANSPORT = "road_transport", _("Road transport")
    GENERAL = "general", _("General")


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("In post")
    LEFT = "left", _("Left")


class EnterpriseStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


# The town safety office and the lead units named in the town plan (regulations.md §8).
TOWN_OFFICE_NAME = "镇安委办"
LEAD_DEPARTMENTS = [
    "规建办",
    "社建办",
    "社发办",
    "经发办",
    "城运中心",
    "农服中心",
    "文体中心",
    "城建中心",
    "水务所",
    "综合整治办",
    "综合行政执法队",
    "徐泾派出所",
    "徐乐路派出所",
    "交警支队机动一大队",
    "徐泾市场所",
    "西虹桥市场所",
]

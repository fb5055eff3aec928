"""One object of each drill follow-up model for a side ("a" / "b") of the town fixture."""

import datetime

from directory.constants import AccountRole
from tests.upload_files import photo
from training.drills.services.follow_up import (
    corrective_action_create,
    drill_evidence_add,
    drill_observation_add,
    drill_profile_set,
)
from training.drills.services.records import drill_record_create


def record_fields(**overrides):
    values = {
        "date": datetime.date(2026, 4, 1),
        "scenario": "fire_evacuation",
        "plan_type": "comprehensive",
        "alarm_time": datetime.time(14, 0),
        "all_clear_time": datetime.time(14, 4, 30),
        "headcount": 40,
        "evacuated": 38,
    }
    values.update(overrides)
    return values


def drill_record(town, accounts, side, **overrides):
    return drill_record_create(
        user=accounts[AccountRole.TOWN_OFFICE],
        enterprise=town[f"ent_{side}"],
        **record_fields(**overrides),
    )


def _profile(town, accounts, side):
    return drill_profile_set(
        user=accounts[AccountRole.TOWN_OFFICE],
        enterprise=town[f"ent_{side}"],
        keeps_on_site_plan=True,
    )


def _evidence(town, accounts, side):
    (evidence,) = drill_evidence_add(
        user=accounts[AccountRole.TOWN_OFFICE],
        record=drill_record(town, accounts, side),
        uploads=[photo(f"现场-{side}.jpg")],
    )
    return evidence


def _action(town, accounts, side):
    return corrective_action_create(
        user=accounts[AccountRole.TOWN_OFFICE],
        record=drill_record(town, accounts, side),
        problem=f"{side}侧安全出口被堵",
        owner="张三",
        due_date=datetime.date(2026, 5, 1),
    )


def _observation(town, accounts, side):
    return drill_observation_add(
        user=accounts[AccountRole.TOWN_OFFICE],
        record=drill_record(town, accounts, side),
        observed_at=datetime.datetime(2026, 4, 1, 14, 2, tzinfo=datetime.UTC),
        note="疏散有序",
    )


# kind -> (factory, back-office URL namespace)
_FACTORIES = {
    "profile": (_profile, "drill_profiles"),
    "evidence": (_evidence, "drill_evidence"),
    "action": (_action, "corrective_actions"),
    # Shown on the record's review page, not on a screen of its own.
    "observation": (_observation, None),
}
KINDS = {kind: namespace for kind, (_factory, namespace) in _FACTORIES.items()}


def make_object(kind, town, accounts, side):
    factory, _namespace = _FACTORIES[kind]
    return factory(town, accounts, side)

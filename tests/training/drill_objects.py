"""One object of each drill follow-up model for a side ("a" / "b") of the town fixture."""

from directory.constants import AccountRole
from training.drills.services import drill_profile_set


def _profile(town, accounts, side):
    return drill_profile_set(
        user=accounts[AccountRole.TOWN_OFFICE],
        enterprise=town[f"ent_{side}"],
        keeps_on_site_plan=True,
    )


# kind -> (factory, back-office URL namespace)
_FACTORIES = {
    "profile": (_profile, "drill_profiles"),
}
KINDS = {kind: namespace for kind, (_factory, namespace) in _FACTORIES.items()}


def make_object(kind, town, accounts, side):
    factory, _namespace = _FACTORIES[kind]
    return factory(town, accounts, side)

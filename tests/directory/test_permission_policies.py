"""The registry's Wagtail viewsets ask a permission policy built on the scoping: an object outside
the user's scope is neither editable nor listed by Wagtail's own machinery (choosers, usage,
bulk actions), not only by the project's views."""

import pytest
from django.apps import apps
from wagtail.permissions import policy_registry

from directory.constants import AccountRole
from directory.models import Enterprise, Person

pytestmark = pytest.mark.django_db


def test_the_registry_app_runs_its_own_configuration():
    assert apps.get_app_config("directory").verbose_name == "基础信息"


@pytest.mark.parametrize("model", [Person, Enterprise])
def test_a_manager_may_change_only_the_own_enterprise_side(model, town, accounts):
    manager = accounts[AccountRole.ENTERPRISE_MANAGER]
    policy = policy_registry.get_by_type(model)
    own, other = (
        (town["person_a"], town["person_b"]) if model is Person else (town["ent_a"], town["ent_b"])
    )
    assert policy.user_has_permission_for_instance(manager, "change", own)
    assert not policy.user_has_permission_for_instance(manager, "change", other)
    changeable = policy.instances_user_has_any_permission_for(manager, ["change"])
    assert own in changeable and other not in changeable

"""What each account role may do, as data, and the Wagtail permission policy built on the scoping.

Model-level rights come from ROLE_PERMISSIONS (granted by directory.backends.RoleBackend);
object-level rights from the scoping selectors, so the back office and the front office agree.
"""

from django.utils.functional import cached_property
from wagtail.permission_policies.base import BasePermissionPolicy

from directory.constants import AccountRole

ALL = {"add", "change", "delete", "view"}
READ = {"view"}
# Which actions each role has on each registry model ("<app>.<model>").
ROLE_PERMISSIONS: dict[str, dict[str, set[str]]] = {
    AccountRole.TOWN_OFFICE: {
        "directory.department": ALL,
        "directory.village": ALL,
        "directory.industry": ALL,
        "directory.post": ALL,
        "directory.enterprise": ALL,
        "directory.person": ALL,
        "directory.importjob": {"add", "view"},
        # Who exported which personal data (directory.views.export_log): the town office only.
        "directory.exportlogentry": READ,
        # Login accounts of every role (directory.views.accounts).
        "directory.user": ALL,
        "training.trainingsession": ALL,
        "training.attendance": ALL,
        "training.drillplan": ALL,
        "training.drillrecord": ALL,
        "training.studyhourentry": ALL,
        "training.courseassignment": ALL,
        "training.trainingrequirement": ALL,
        "training.topictrainingrequirement": ALL,
        "training.drillprofile": ALL,
        "training.drillevidence": ALL,
        "training.correctiveaction": ALL,
        "training.drillobservation": ALL,
        "training.drillparticipant": ALL,
        # The 五带头 items the town office words and confirms (training.duties).
        "training.dutyitem": ALL,
        "training.principalchecklist": READ,
        # Registered certificates (certificates.selectors.registry scopes them by holder).
        "certificates.registeredcertificate": ALL,
        "certificates.certificatereview": ALL,
        "certificates.postabsence": ALL,
        "certificates.certificateviolation": ALL,
        "certificates.certificatetype": ALL,
        "certificates.postrequirement": ALL,
        "certificates.operationcategory": ALL,
        "certificates.specialoperation": ALL,
        "content.publicitydate": ALL,
        "certificates.issuedcertificate": {"add", "change", "view"},
        "certificates.certificatebatch": {"add", "view"},
        # Exams (training.exams.selectors.scoping scopes them by owning department).
        "training.questionbank": ALL,
        "training.questioncategory": ALL,
        "training.question": ALL,
        "training.paper": ALL,
        "training.drawrule": ALL,
        "training.paperquestion": ALL,
        "training.exam": ALL,
        "reports.target": ALL,
        "reports.exemplaryenterprise": ALL,
    },
    AccountRole.DEPARTMENT_OFFICER: {
        "directory.department": READ,
        "directory.village": READ,
        "directory.industry": READ,
        "directory.post": READ,
        "directory.enterprise": {"add", "change", "view"},
        "directory.person": ALL,
        "directory.importjob": {"add", "view"},
        "training.trainingsession": ALL,
        "training.attendance": ALL,
        "training.drillplan": ALL,
        "training.drillrecord": ALL,
        "training.principalchecklist": READ,
        "training.studyhourentry": {"add", "view"},
        "training.courseassignment": ALL,
        "training.trainingrequirement": READ,
        "training.topictrainingrequirement": READ,
        "training.drillprofile": ALL,
        "training.drillevidence": ALL,
        "training.correctiveaction": ALL,
        "training.drillobservation": ALL,
        "training.drillparticipant": ALL,
        "certificates.registeredcertificate": ALL,
        "certificates.certificatereview": ALL,
        "certificates.postabsence": ALL,
        "certificates.certificateviolation": ALL,
        "certificates.certificatetype": READ,
        "certificates.postrequirement": READ,
        "certificates.operationcategory": READ,
        "certificates.specialoperation": READ,
        "certificates.issuedcertificate": {"add", "change", "view"},
        "certificates.certificatebatch": {"add", "view"},
        "training.questionbank": ALL,
        "training.questioncategory": ALL,
        "training.question": ALL,
        "training.paper": ALL,
        "training.drawrule": ALL,
        "training.paperquestion": ALL,
        "training.exam": ALL,
        "reports.target": READ,
        "reports.exemplaryenterprise": READ,
    },
    AccountRole.VILLAGE_OFFICER: {
        "directory.department": READ,
        "directory.village": READ,
        "directory.industry": READ,
        "directory.post": READ,
        "directory.enterprise": READ,
        "directory.person": READ,
        "training.trainingsession": READ,
        "training.attendance": READ,
        "training.drillplan": READ,
        "training.drillrecord": READ,
        "training.principalchecklist": READ,
        "training.studyhourentry": READ,
        "training.trainingrequirement": READ,
        "training.topictrainingrequirement": READ,
        "training.drillprofile": READ,
        "training.drillevidence": READ,
        "training.correctiveaction": READ,
        "training.drillobservation": {"add", "view"},
        "training.drillparticipant": READ,
        "certificates.registeredcertificate": READ,
        "certificates.certificatereview": READ,
        "certificates.postabsence": READ,
        "certificates.certificateviolation": READ,
        "certificates.certificatetype": READ,
        "certificates.postrequirement": READ,
        "certificates.operationcategory": READ,
        "certificates.specialoperation": READ,
        "certificates.issuedcertificate": READ,
        "certificates.certificatebatch": {"add", "view"},
        "reports.target": READ,
        "reports.exemplaryenterprise": READ,
    },
    AccountRole.ENTERPRISE_MANAGER: {
        "directory.department": READ,
        "directory.village": READ,
        "directory.industry": READ,
        "directory.post": READ,
        "directory.enterprise": {"change", "view"},
        "directory.person": ALL,
        "directory.importjob": {"add", "view"},
        "training.trainingsession": ALL,
        "training.attendance": ALL,
        "training.drillplan": ALL,
        "training.drillrecord": ALL,
        "training.principalchecklist": READ,
        "training.studyhourentry": {"add", "view"},
        "training.courseassignment": ALL,
        "training.trainingrequirement": READ,
        "training.topictrainingrequirement": READ,
        "training.drillprofile": {"add", "change", "view"},
        "training.drillevidence": ALL,
        "training.correctiveaction": ALL,
        "training.drillobservation": READ,
        "training.drillparticipant": ALL,
        "certificates.registeredcertificate": ALL,
        "certificates.certificatereview": ALL,
        "certificates.postabsence": ALL,
        "certificates.certificateviolation": ALL,
        "certificates.certificatetype": READ,
        "certificates.postrequirement": READ,
        "certificates.operationcategory": READ,
        "certificates.specialoperation": READ,
        "certificates.issuedcertificate": READ,
        "certificates.certificatebatch": {"add", "view"},
    },
    AccountRole.LEARNER: {},
    AccountRole.EDITOR: {},
}
# Roles that work in the Wagtail back office.
BACK_OFFICE_ROLES = {
    AccountRole.TOWN_OFFICE,
    AccountRole.DEPARTMENT_OFFICER,
    AccountRole.VILLAGE_OFFICER,
    AccountRole.ENTERPRISE_MANAGER,
    AccountRole.EDITOR,
}


def role_permissions(role: str) -> set[str]:
    """Django permission strings ("app.action_model") the role holds."""
    perms = set()
    for model, actions in ROLE_PERMISSIONS.get(role, {}).items():
        app_label, model_name = model.split(".")
        perms.update(f"{app_label}.{action}_{model_name}" for action in actions)
    if role in BACK_OFFICE_ROLES:
        perms.add("wagtailadmin.access_admin")
    return perms


def role_may(user, model, action: str) -> bool:
    if not user.is_active or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    key = f"{model._meta.app_label}.{model._meta.model_name}"
    return action in ROLE_PERMISSIONS.get(user.role, {}).get(key, set())


class ScopedPermissionPolicy(BasePermissionPolicy):
    """Role table for model-level rights; the scoping selectors for rights on one object."""

    @cached_property
    def _selectors(self):
        from directory.scoping import SCOPES

        return SCOPES[self.model]

    def user_has_permission(self, user, action):
        return role_may(user, self.model, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def _scope(self, user, action):
        visible, editable = self._selectors
        return visible(user) if action == "view" else editable(user)

    def instances_user_has_any_permission_for(self, user, actions):
        qs = self.model.objects.none()
        for action in actions:
            if self.user_has_permission(user, action):
                qs = qs | self._scope(user, action)
        return qs.distinct()

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        return self._scope(user, action).filter(pk=instance.pk).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(
            self.user_has_permission_for_instance(user, action, instance) for action in actions
        )

    def users_with_any_permission(self, actions):
        from directory.models import User

        roles = [
            role
            for role, table in ROLE_PERMISSIONS.items()
            if set(actions) & table.get(f"{self.app_label}.{self.model_name}", set())
        ]
        return User.objects.filter(is_active=True).filter(role__in=roles) | User.objects.filter(
            is_active=True, is_superuser=True
        )

    @property
    def app_label(self):
        return self.model._meta.app_label

    @property
    def model_name(self):
        return self.model._meta.model_name


def register_policies() -> None:
    from wagtail.permissions import register_permission_policy

    from directory.models import Department, Enterprise, Industry, Person, Post, Village

    for model in (Department, Village, Industry, Post, Enterprise, Person):
        register_permission_policy(model, ScopedPermissionPolicy(model))

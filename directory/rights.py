"""Who may change which fields of a registry record: one definition, read by the back-office
forms (they disable the fields), the import resources (they refuse the row) and the registry
write services (they refuse the write).

Which records a user may change at all is the scoping's business (directory.scoping); this is
about the fields of a record the user may otherwise change.
"""

from collections.abc import Container, Mapping

from django.db.models import Model
from django.utils.translation import gettext as _

from directory.constants import AccountRole
from directory.scoping import account_role, visible_to

# Fields a role may not change on records it may otherwise edit, by model label. What the
# supervisors decide about an enterprise (its identity, sector, place, lead department, whether
# it still operates) is theirs to change, not the enterprise's own.
LOCKED_FIELDS: dict[str, dict[str, frozenset[str]]] = {
    AccountRole.ENTERPRISE_MANAGER: {
        "directory.Enterprise": frozenset(
            {"credit_code", "village", "industry", "lead_department", "status"}
        ),
    },
}


def locked_fields(user, model: type[Model]) -> frozenset[str]:
    """The fields of `model` the user may not change."""
    return LOCKED_FIELDS.get(account_role(user), {}).get(model._meta.label, frozenset())


def _changed(instance: Model, before: Mapping[str, object] | None, name: str) -> bool:
    attname = instance._meta.get_field(name).attname
    if before is None:
        return True
    return attname in before and before[attname] != getattr(instance, attname)


def registry_write_problem(
    user,
    instance: Model,
    before: Mapping[str, object] | None,
    *,
    assignable_departments: Container[int] | None = None,
) -> str | None:
    """Why the user may not write `instance` with its current values, or None.

    `before` holds the stored values by attname (directory.services.registry_state, or what an
    import read) or is None for a new record. A locked field may not change, and a department
    officer sets only the own department as an enterprise's lead (departments_assignable_by;
    an import passes their ids, read once per batch, as `assignable_departments`).
    """
    if user is None:
        return None
    if before is not None:
        changed = [
            str(instance._meta.get_field(name).verbose_name)
            for name in sorted(locked_fields(user, type(instance)))
            if _changed(instance, before, name)
        ]
        if changed:
            return _("You may not change: %(fields)s.") % {"fields": "、".join(changed)}
    lead_id = getattr(instance, "lead_department_id", None)
    if (
        instance._meta.label == "directory.Enterprise"
        and lead_id is not None
        and _changed(instance, before, "lead_department")
    ):
        if assignable_departments is None:
            from directory.selectors import departments_assignable_by

            assignable_departments = set(
                departments_assignable_by(user).values_list("pk", flat=True)
            )
        if lead_id not in assignable_departments:
            return _("You may only register enterprises led by your own department.")
    return None


# Who may archive a record kept for its retention period (directory.retention) and restore it:
# the town office, and the department and village officers whose scope holds the record.
# Archiving withdraws a record from every figure a supervisor reads (coverage, ledger totals,
# certificates held), so, like the fields above, it is the supervisors' decision: an enterprise
# manager asks its village or lead department, a learner never archives.
ARCHIVE_ROLES = frozenset(
    {AccountRole.TOWN_OFFICE, AccountRole.DEPARTMENT_OFFICER, AccountRole.VILLAGE_OFFICER}
)


def role_may_archive(user) -> bool:
    """Whether the user's role archives at all (a screen listing rows of the user's scope then
    offers 归档 on each)."""
    return account_role(user) in ARCHIVE_ROLES


def may_archive(user, record: Model) -> bool:
    """Whether the user may archive (or restore) `record`: a role of ARCHIVE_ROLES whose scope
    (directory.scoping) holds the record, archived or not."""
    if not role_may_archive(user):
        return False
    model = type(record)
    return visible_to(user, model, model.all_objects.filter(pk=record.pk)).exists()

"""Which account roles may do the training domains' supervisory work; the unit each account may
act on is still decided by the scoping selectors."""

from directory.constants import AccountRole

# Reviewing drills is the supervisors' work; an enterprise does not review its own drills.
REVIEWER_ROLES = frozenset(
    {AccountRole.TOWN_OFFICE, AccountRole.DEPARTMENT_OFFICER, AccountRole.VILLAGE_OFFICER}
)

# Who runs offline sessions: the town office and departments for the enterprises they follow, a
# safety manager for the enterprise's own staff.
ORGANISER_ROLES = frozenset(
    {AccountRole.TOWN_OFFICE, AccountRole.DEPARTMENT_OFFICER, AccountRole.ENTERPRISE_MANAGER}
)

# Departments and the town office assign courses to the enterprises they follow; an enterprise's
# safety manager to its own staff (people_editable_by draws both lines).
ASSIGNER_ROLES = frozenset(
    {AccountRole.TOWN_OFFICE, AccountRole.DEPARTMENT_OFFICER, AccountRole.ENTERPRISE_MANAGER}
)

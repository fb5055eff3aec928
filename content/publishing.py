"""Who may write which pages, and who approves them: moderation workflow, groups, page permissions.

Wagtail grants page rights through groups (GroupPagePermission), while accounts carry a role
(directory). These services keep the groups in step with the roles:
- editors (宣传编辑) add and edit any page and submit it for moderation; they cannot publish;
- the town office's reviewers (镇安委办审核员) approve, which publishes, and may publish directly;
- each department's editors (<department>编辑) add and edit pages only inside the sections granted
  to them with `department_section_grant`; a department's sections are the pages its group holds
  permissions on (`department_sections`).
Group, workflow and task names are data (stored, searched for by name), so they are Chinese
constants rather than translated strings.
"""

from contextvars import ContextVar

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet, Value
from django.db.models.functions import Concat
from django.db.models.signals import m2m_changed, post_save
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from directory.constants import AccountRole
from directory.models import Department

WORKFLOW_NAME = "镇安委办审核"
REVIEW_TASK_NAME = "镇安委办审核"
EDITORS_GROUP = "宣传编辑"
REVIEWERS_GROUP = "镇安委办审核员"
DEPARTMENT_GROUP_SUFFIX = "编辑"

EDITOR_PAGE_ACTIONS = ("add", "change")
REVIEWER_PAGE_ACTIONS = ("add", "change", "publish", "lock", "unlock")
SECTION_PAGE_ACTIONS = ("add", "change")
MEDIA_PERMISSION_MODEL = "wagtailmedia.media"
MEDIA_ACTIONS = ("add", "change")
# Images, documents and videos used in pages: every page writer needs to upload and choose them.
# wagtailmedia checks its rights on its own `wagtailmedia.Media` whatever model stores the videos
# (content.Video), and has no "choose": its chooser lists what one may change.
COLLECTION_ACTIONS = {
    "wagtailimages.image": ("add", "change", "choose"),
    "wagtaildocs.document": ("add", "change", "choose"),
    MEDIA_PERMISSION_MODEL: MEDIA_ACTIONS,
}


def _permissions(model_label: str, actions: tuple[str, ...]) -> list[Permission]:
    """The model's permissions for `actions`, in their order: one query when they exist, as they
    do after `migrate` (created here otherwise: content's post_migrate runs before the later
    apps' permissions are created)."""
    model = apps.get_model(model_label)
    model_name = model._meta.model_name
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    codenames = [f"{action}_{model_name}" for action in actions]
    found = {
        p.codename: p
        for p in Permission.objects.filter(content_type=content_type, codename__in=codenames)
    }
    for action, codename in zip(actions, codenames, strict=True):
        if codename not in found:
            found[codename], _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=codename,
                defaults={"name": f"Can {action.replace('_', ' ')} {model_name}"},
            )
    return [found[codename] for codename in codenames]


def _page_permissions_set(*, group: Group, page: Page, actions: tuple[str, ...]) -> None:
    """The group holds exactly `actions` on `page` (its other pages are untouched)."""
    wanted = _permissions("wagtailcore.page", actions)
    GroupPagePermission.objects.filter(group=group, page=page).exclude(
        permission__in=wanted
    ).delete()
    for permission in wanted:
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def _collection_permissions_set(*, group: Group) -> None:
    root = Collection.get_first_root_node()
    if root is None:  # a flushed database (transactional tests) has no collections
        return
    # Each right once (unique per group, collection and permission): one insert for all.
    GroupCollectionPermission.objects.bulk_create(
        [
            GroupCollectionPermission(group=group, collection=root, permission=permission)
            for model_label, actions in COLLECTION_ACTIONS.items()
            for permission in _permissions(model_label, actions)
        ],
        ignore_conflicts=True,
    )


def department_group_name(department: Department) -> str:
    return f"{department.name}{DEPARTMENT_GROUP_SUFFIX}"


def department_group(*, department: Department) -> Group:
    name = department_group_name(department)
    group = Group.objects.filter(name=name).first()
    if group is None:
        # A new group and its upload rights together: a group left without them would keep
        # none, as rights are only given when the group is created.
        with transaction.atomic():
            group, created = Group.objects.get_or_create(name=name)
            if created:
                _collection_permissions_set(group=group)
    return group


@transaction.atomic
def publishing_setup() -> Workflow | None:
    """Create or repair the moderation workflow, the editor groups and their permissions."""
    root = Page.get_first_root_node()
    if root is None:
        return None

    editors, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    # Rights on the tree root cover every site and every page created later.
    _page_permissions_set(group=editors, page=root, actions=EDITOR_PAGE_ACTIONS)
    _page_permissions_set(group=reviewers, page=root, actions=REVIEWER_PAGE_ACTIONS)
    for group in (editors, reviewers):
        _collection_permissions_set(group=group)
    for department in Department.objects.filter(is_town_office=False):
        department_group(department=department)

    task = GroupApprovalTask.objects.filter(name=REVIEW_TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=REVIEW_TASK_NAME)
    if not task.active:
        task.active = True
        task.save(update_fields=["active"])
    task.groups.set([reviewers])

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    # The tree root's workflow applies to every page below it (Wagtail's default one is replaced).
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    return workflow


def publishing_setup_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate receiver (connected in ContentConfig.ready)."""
    if using != "default":
        return
    publishing_setup()


def department_section_grant(*, department: Department, page: Page) -> Group:
    """Make `page` and everything below it a section the department's editors add to and edit."""
    group = department_group(department=department)
    _page_permissions_set(group=group, page=page, actions=SECTION_PAGE_ACTIONS)
    return group


def department_section_revoke(*, department: Department, page: Page) -> None:
    GroupPagePermission.objects.filter(
        group__name=department_group_name(department), page=page
    ).delete()


def department_sections(*, department: Department) -> QuerySet[Page]:
    """The section roots granted to the department's editors."""
    return Page.objects.filter(
        group_permissions__group__name=department_group_name(department)
    ).distinct()


def _managed_groups() -> QuerySet[Group]:
    """Groups these services own; any other group an account is in is left alone."""
    department_names = Department.objects.annotate(
        group_name=Concat("name", Value(DEPARTMENT_GROUP_SUFFIX))
    ).values("group_name")
    return Group.objects.filter(name__in=[EDITORS_GROUP, REVIEWERS_GROUP]) | Group.objects.filter(
        name__in=department_names
    )


def _group_for_role(account) -> Group | None:
    if account.role == AccountRole.EDITOR:
        return Group.objects.get_or_create(name=EDITORS_GROUP)[0]
    if account.role == AccountRole.TOWN_OFFICE:
        return Group.objects.get_or_create(name=REVIEWERS_GROUP)[0]
    if account.role == AccountRole.DEPARTMENT_OFFICER and account.department_id:
        return department_group(department=account.department)
    return None


# True while account_groups_sync changes an account's groups: the m2m_changed receiver below
# then has nothing to put back.
_syncing: ContextVar[bool] = ContextVar("account_groups_syncing", default=False)


def account_groups_sync(*, account, created: bool = False) -> None:
    """Put the account in the page-writing group its role calls for, and out of the others.

    `created`: the account was just inserted, so it is in no group yet (nothing to read)."""
    if account.is_superuser or account.pk is None:
        return
    wanted = _group_for_role(account) if account.is_active else None
    if created:
        if wanted is not None:
            _groups_change(account, stale=[], wanted=wanted)
        return
    with transaction.atomic():
        stale = account.groups.filter(pk__in=_managed_groups().values("pk"))
        if wanted is not None:
            stale = stale.exclude(pk=wanted.pk)
        stale_groups = list(stale)
        if wanted is not None and account.groups.filter(pk=wanted.pk).exists():
            wanted = None
        if stale_groups or wanted is not None:
            _groups_change(account, stale=stale_groups, wanted=wanted)


def _groups_change(account, *, stale: list[Group], wanted: Group | None) -> None:
    token = _syncing.set(True)
    try:
        if stale:
            account.groups.remove(*stale)
        if wanted is not None:
            account.groups.add(wanted)
    finally:
        _syncing.reset(token)


# Fields of an account that decide its groups; a save touching only others (login) is skipped.
_ACCOUNT_GROUP_FIELDS = {"role", "department", "department_id", "is_superuser", "is_active"}


def _account_saved(sender, instance, created, raw=False, update_fields=None, **kwargs) -> None:
    if raw or (update_fields and not _ACCOUNT_GROUP_FIELDS & set(update_fields)):
        return
    account_groups_sync(account=instance, created=created)


def _account_groups_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    # The back office's account form saves the account, then sets its groups from the form's
    # check boxes: the role's group is put back afterwards. Our own add/remove is already what
    # the role calls for.
    if (
        _syncing.get()
        or action not in ("post_add", "post_remove", "post_clear")
        or (action != "post_clear" and not pk_set)
    ):
        return
    if not reverse:
        account_groups_sync(account=instance)
        return
    from django.contrib.auth import get_user_model

    for account in get_user_model().objects.filter(pk__in=pk_set or ()):
        account_groups_sync(account=account)


def publishing_receivers_connect() -> None:
    """Connect the receivers the publishing rules need; safe to call more than once.

    A signal on purpose, despite the house style: accounts are created and edited by directory
    (services, back office, imports), which must not import content. Saving an account is the
    one point where content can learn that a role changed.
    """
    post_save.connect(
        _account_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid="content_account_groups"
    )
    m2m_changed.connect(
        _account_groups_changed,
        sender=apps.get_model(settings.AUTH_USER_MODEL).groups.through,
        dispatch_uid="content_account_groups_changed",
    )

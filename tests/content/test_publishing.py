"""Who may write and publish pages: the moderation workflow, editor groups, department sections,
and scheduled publishing run by Celery beat."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, Site, WorkflowPage, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from content import publishing
from content.models import ArticlePage, CampaignIndexPage, HomePage, NewsIndexPage
from content.tasks import publish_scheduled
from directory.constants import AccountRole
from tests.factories import UserFactory


@pytest.fixture
def tree(db):
    """Home with a campaign index and a news index holding one published article."""
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="徐泾镇安全生产", slug="xujing"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"root_page": home, "hostname": "localhost"}
    )
    campaigns = home.add_child(instance=CampaignIndexPage(title="宣传活动", slug="campaigns"))
    news = home.add_child(instance=NewsIndexPage(title="新闻", slug="news"))
    article = news.add_child(
        instance=ArticlePage(title="镇安委办召开安全生产会议", slug="meeting", summary="会议")
    )
    publishing.publishing_setup()
    return {"home": home, "campaigns": campaigns, "news": news, "article": article}


def _index_form(title: str, slug: str) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "intro": rich_text("<p>简介</p>"),
            "comments": inline_formset([]),
        }
    )


def _latest_title(page) -> str:
    page.refresh_from_db()
    return page.get_latest_revision().as_object().title


def _article_form(title: str, slug: str, action: str) -> dict:
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "kind": "news",
            "date": "2025-06-01",
            "summary": "摘要",
            "body": streamfield([]),
            "tags": "",
            "comments": inline_formset([]),
        }
    )
    data[action] = "1"
    return data


def test_setup_is_idempotent_and_assigns_the_workflow_to_the_tree(tree):
    counts = (GroupPagePermission.objects.count(), Group.objects.count())
    workflow = publishing.publishing_setup()

    assert (GroupPagePermission.objects.count(), Group.objects.count()) == counts
    assert WorkflowPage.objects.get(page=Page.get_first_root_node()).workflow == workflow
    assert tree["article"].get_workflow() == workflow
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == [publishing.REVIEWERS_GROUP]
    editors = GroupPagePermission.objects.filter(group__name=publishing.EDITORS_GROUP)
    assert "publish_page" not in editors.values_list("permission__codename", flat=True)


def test_accounts_join_the_group_of_their_role_and_leave_it_when_it_changes(town):
    other = Group.objects.create(name="专题小组")
    editor = UserFactory(role=AccountRole.EDITOR)
    editor.groups.add(other)
    reviewer = UserFactory(role=AccountRole.TOWN_OFFICE)
    officer = UserFactory(role=AccountRole.DEPARTMENT_OFFICER, department=town["dept_a"])
    learner = UserFactory(role=AccountRole.LEARNER)
    admin = UserFactory(role=AccountRole.EDITOR, is_superuser=True)

    def names(user):
        return set(user.groups.values_list("name", flat=True))

    assert names(editor) == {"宣传编辑", "专题小组"}
    assert names(reviewer) == {"镇安委办审核员"}
    assert names(officer) == {"经发办编辑"}
    assert names(learner) == set()
    assert names(admin) == set()

    editor.role = AccountRole.LEARNER
    editor.save()
    officer.department = town["dept_b"]
    officer.save()
    assert names(editor) == {"专题小组"}
    assert names(officer) == {"规建办编辑"}

    # The back office's account form sets groups from its check boxes after saving the role.
    officer.groups.set([other])
    assert names(officer) == {"规建办编辑", "专题小组"}
    other.user_set.add(reviewer)
    assert names(reviewer) == {"镇安委办审核员", "专题小组"}


def test_a_new_departments_group_gets_its_upload_rights_in_a_few_queries(
    town, django_assert_max_num_queries
):
    """An account is saved by every import and form: its group's upload rights are read in one
    query per kind of file and written in one, and a new account is not read back (it is in no
    group yet)."""
    from wagtail.models import Collection, GroupCollectionPermission

    UserFactory(role=AccountRole.EDITOR)  # the content types are cached from here on
    # The factory's get_or_create takes four queries, the new group with its rights twelve (in
    # one savepoint), joining it two.
    with django_assert_max_num_queries(18):
        officer = UserFactory(role=AccountRole.DEPARTMENT_OFFICER, department=town["dept_a"])

    group = officer.groups.get()
    assert group.name == "经发办编辑"

    def rights() -> list[tuple]:
        return sorted(
            GroupCollectionPermission.objects.filter(group=group).values_list(
                "collection", "permission__codename"
            )
        )

    root = Collection.get_first_root_node().pk
    expected = sorted(
        (root, f"{action}_{label.split('.')[1]}")
        for label, actions in publishing.COLLECTION_ACTIONS.items()
        for action in actions
    )
    assert rights() == expected and len(expected) == 8
    publishing.department_group(department=town["dept_a"])  # again: nothing added twice
    publishing.publishing_setup()
    assert rights() == expected


def test_editor_creates_and_submits_but_cannot_publish(tree, client):
    editor = UserFactory(role=AccountRole.EDITOR)
    client.force_login(editor)
    add_url = reverse("wagtailadmin_pages:add", args=("content", "articlepage", tree["news"].pk))

    response = client.post(add_url, _article_form("安全月启动", "launch", "action-publish"))
    assert response.status_code == 302
    published_attempt = ArticlePage.objects.get(slug="launch")
    assert not published_attempt.live

    response = client.post(add_url, _article_form("消防演练通知", "drill", "action-submit"))
    assert response.status_code == 302
    page = ArticlePage.objects.get(slug="drill")
    assert not page.live
    assert page.workflow_in_progress
    assert page.current_workflow_state.workflow.name == publishing.WORKFLOW_NAME

    # The editor cannot approve their own submission.
    task_state = page.current_workflow_task_state
    approve_url = reverse(
        "wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk)
    )
    client.post(approve_url)
    page.refresh_from_db()
    assert not page.live


def test_editor_edits_a_live_page_by_submitting_a_draft(tree, client):
    client.force_login(UserFactory(role=AccountRole.EDITOR))
    article = tree["article"]
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(article.pk,)),
        _article_form("会议延期", "meeting", "action-submit"),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "镇安委办召开安全生产会议"  # the live version is unchanged
    assert _latest_title(article) == "会议延期"
    assert article.workflow_in_progress


def test_town_office_reviewer_approves_and_the_page_goes_live(tree, client):
    editor = UserFactory(role=AccountRole.EDITOR)
    reviewer = UserFactory(role=AccountRole.TOWN_OFFICE)
    page = tree["news"].add_child(
        instance=ArticlePage(title="夏季防汛提示", slug="flood", live=False, owner=editor)
    )
    page.save_revision(user=editor)
    state = page.get_workflow().start(page, editor)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    client.force_login(reviewer)
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(page.pk, "approve", state.current_task_state.pk),
        )
    )
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert client.get(page.url).status_code == 200


def test_department_editor_edits_only_its_own_section(tree, town, client):
    publishing.department_section_grant(department=town["dept_a"], page=tree["campaigns"])
    publishing.department_section_grant(department=town["dept_b"], page=tree["news"])
    assert list(publishing.department_sections(department=town["dept_a"])) == [
        tree["campaigns"].page_ptr
    ]
    officer = UserFactory(role=AccountRole.DEPARTMENT_OFFICER, department=town["dept_a"])
    client.force_login(officer)

    own = reverse("wagtailadmin_pages:edit", args=(tree["campaigns"].pk,))
    assert client.get(own).status_code == 200
    response = client.post(
        own, {**_index_form("宣传活动（经发办）", "campaigns"), "action-submit": "1"}
    )
    assert response.status_code == 302
    assert _latest_title(tree["campaigns"]) == "宣传活动（经发办）"

    # Wagtail answers a page right the user lacks with a redirect to the dashboard.
    denied = reverse("wagtailadmin_home")
    other = reverse("wagtailadmin_pages:edit", args=(tree["news"].pk,))
    assert client.get(other)["Location"] == denied
    client.post(other, {**_index_form("被改的新闻", "news"), "action-submit": "1"})
    tree["news"].refresh_from_db()
    assert tree["news"].get_latest_revision() is None
    add_other = reverse("wagtailadmin_pages:add", args=("content", "articlepage", tree["news"].pk))
    assert client.get(add_other)["Location"] == denied
    # The page explorer opens at the department's own section, not the home page.
    explorer = client.get(reverse("wagtailadmin_explore_root"))
    assert explorer["Location"] == reverse("wagtailadmin_explore", args=(tree["campaigns"].pk,))


def test_revoking_a_section_takes_the_rights_away(tree, town, client):
    publishing.department_section_grant(department=town["dept_a"], page=tree["campaigns"])
    publishing.department_section_revoke(department=town["dept_a"], page=tree["campaigns"])
    client.force_login(UserFactory(role=AccountRole.DEPARTMENT_OFFICER, department=town["dept_a"]))
    edit = reverse("wagtailadmin_pages:edit", args=(tree["campaigns"].pk,))
    assert client.get(edit)["Location"] == reverse("wagtailadmin_home")


def test_beat_runs_publish_scheduled_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["content-publish-scheduled"]
    assert entry["task"] == publish_scheduled.name
    assert entry["schedule"] == 60.0


def test_publish_scheduled_publishes_due_revisions_and_unpublishes_expired_pages(tree):
    now = timezone.now()
    scheduled = tree["news"].add_child(
        instance=ArticlePage(title="安全生产月开幕", slug="opening", live=False)
    )
    scheduled.go_live_at = now + datetime.timedelta(hours=1)
    revision = scheduled.save_revision()
    revision.publish()  # approved, waiting for its go-live time
    scheduled.refresh_from_db()
    assert not scheduled.live
    # The hour passes: move the approved go-live time into the past.
    past = now - datetime.timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])

    expiring = tree["article"]
    expiring.expire_at = now - datetime.timedelta(minutes=1)
    expiring.save()
    assert expiring.live

    publish_scheduled.delay()

    scheduled.refresh_from_db()
    expiring.refresh_from_db()
    assert scheduled.live
    assert not expiring.live
    assert expiring.expired

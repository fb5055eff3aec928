"""Page writers may add, change and choose videos.

wagtailmedia checks its rights on its own model, `wagtailmedia.Media`, even though the videos are
stored as `content.Video`; the groups had been given the rights on `content.Video`, which nothing
checks, so only superusers could open the media library. Every group holding video rights on a
collection (the editors, the town office's reviewers, each department's editors) gets the same
rights on `wagtailmedia.Media` and loses the dead ones. Running it again changes nothing.
"""

from django.db import migrations

ACTIONS = ("add", "change")
# The groups content.publishing keeps (publishing_setup also grants them after every migrate).
NAMED_GROUPS = ("宣传编辑", "镇安委办审核员")


def media_permissions_grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    root = Collection.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    media_type, _ = ContentType.objects.get_or_create(app_label="wagtailmedia", model="media")
    video_type, _ = ContentType.objects.get_or_create(app_label="content", model="video")
    wanted = [
        Permission.objects.get_or_create(
            content_type=media_type,
            codename=f"{action}_media",
            defaults={"name": f"Can {action} media"},
        )[0]
        for action in ACTIONS
    ]
    dead = GroupCollectionPermission.objects.filter(permission__content_type=video_type)
    group_ids = set(dead.values_list("group_id", flat=True))
    group_ids |= set(Group.objects.filter(name__in=NAMED_GROUPS).values_list("pk", flat=True))
    for group_id in sorted(group_ids):
        for permission in wanted:
            GroupCollectionPermission.objects.get_or_create(
                group_id=group_id, collection=root, permission=permission
            )
    dead.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0004_publicity_calendar"),
        ("wagtailmedia", "0005_alter_media_options"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(media_permissions_grant, migrations.RunPython.noop)]

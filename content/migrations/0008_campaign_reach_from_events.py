"""The events' audiences (a StreamField holding where each event went) become counted activities:
one activity per event and audience, participants left at 0 for editors to fill in."""

import datetime

from django.db import migrations

KINDS = {"enterprises", "villages", "communities", "schools", "families"}


def _date(value):
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def events_to_activities(apps, schema_editor):
    CampaignPage = apps.get_model("content", "CampaignPage")
    CampaignActivity = apps.get_model("content", "CampaignActivity")
    Department = apps.get_model("directory", "Department")
    departments = dict(Department.objects.values_list("name", "pk"))
    rows = []
    for page in CampaignPage.objects.all():
        if CampaignActivity.objects.filter(page_id=page.pk).exists():
            continue
        order = 0
        for block in page.events.raw_data:
            value = block.get("value") or {}
            date = _date(value.get("date"))
            if date is None:
                continue
            organiser = (value.get("organiser") or "")[:255]
            for kind in value.get("audience") or []:
                if kind not in KINDS:
                    continue
                rows.append(
                    CampaignActivity(
                        page_id=page.pk,
                        sort_order=order,
                        date=date,
                        kind=kind,
                        place=(value.get("place") or "")[:255],
                        organiser=organiser,
                        department_id=departments.get(organiser),
                        description=value.get("description") or "",
                    )
                )
                order += 1
    CampaignActivity.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0007_campaign_reach"),
        ("directory", "0001_initial"),
    ]

    operations = [migrations.RunPython(events_to_activities, migrations.RunPython.noop)]

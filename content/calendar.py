"""The publicity calendar as data (regulations.md §5, plan item 27): the month or day of each
campaign and the year's theme where it is known. Seeded by the data migration
`0004_publicity_calendar`; the town office corrects an entry and enters a new year's theme in the
back office (宣传日历). The 2026 theme of 安全生产月 was not found: editors enter it.
"""

SOURCE = "国家规定的安全宣传活动日"

# (kind, name, month, day or None for the whole month, sort order)
PUBLICITY_CALENDAR = [
    ("disaster_prevention_day", "全国防灾减灾日", 5, 12, 10),
    ("safety_month", "安全生产月", 6, None, 20),
    ("consultation_day", "安全宣传咨询日", 6, 16, 30),
    ("fire_month", "消防宣传月", 11, None, 40),
    ("fire_day", "全国消防日", 11, 9, 50),
    ("traffic_day", "全国交通安全日", 12, 2, 60),
]

# (kind, year, theme)
PUBLICITY_THEMES = [
    ("safety_month", 2024, "人人讲安全、个个会应急——畅通生命通道"),
    ("safety_month", 2025, "人人讲安全、个个会应急——查找身边安全隐患"),
]


def publicity_calendar_seed(date_model, theme_model) -> int:
    """Create the entries and themes that are missing (idempotent); returns how many entries."""
    created = 0
    for kind, name, month, day, order in PUBLICITY_CALENDAR:
        _entry, was_created = date_model.objects.get_or_create(
            kind=kind,
            defaults={
                "name": name,
                "month": month,
                "day": day,
                "sort_order": order,
                "source": SOURCE,
            },
        )
        created += was_created
    for kind, year, theme in PUBLICITY_THEMES:
        theme_model.objects.get_or_create(
            entry=date_model.objects.get(kind=kind),
            year=year,
            defaults={"theme": theme, "source": SOURCE},
        )
    return created

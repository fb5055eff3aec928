"""Helpers the domains' `seed_scale` parts share: days drawn within this year or the last."""

import datetime


def day_in(rng, start: datetime.date, days: int) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange(max(days, 1)))


def year_days(today: datetime.date) -> tuple[datetime.date, int, datetime.date]:
    this_year = datetime.date(today.year, 1, 1)
    return this_year, (today - this_year).days + 1, datetime.date(today.year - 1, 1, 1)

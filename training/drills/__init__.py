"""Emergency drills: the yearly obligation per enterprise (rules.py), plans and records with
review, evidence, corrective actions, observations, phone entry, calendar, coverage, reminders."""

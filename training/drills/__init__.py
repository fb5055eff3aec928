"""Drill follow-up beyond the first slice: settings, evidence, corrective actions, reminders.

Reads in `training.drills.selectors.follow_up`, writes in `training.drills.services.follow_up`.
"""

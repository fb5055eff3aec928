"""Drill follow-up beyond the first slice: settings, evidence, corrective actions, reminders.

Reads in `training.drills.selectors`, writes in `training.drills.services`.
"""

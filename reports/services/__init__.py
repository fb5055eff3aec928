"""Writes of the reports app."""

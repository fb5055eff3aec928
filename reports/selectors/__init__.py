"""Reads of the reports app: coverage figures and who sees which part of them."""

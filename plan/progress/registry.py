"""What the task progress adds to the reports app, called once from PlanConfig.ready()."""

from plan.progress.home import home_lines_register
from plan.progress.section import section_register


def progress_register() -> None:
    section_register()
    home_lines_register()

"""What the sub-plans and dispatch meetings register when the plan app is ready: their scoping
selectors and their lines on the back-office homes."""


def subplans_meetings_register() -> None:
    from plan.meetings.selectors import scopes_register as meetings_scopes_register
    from plan.subplans.home import home_lines_register
    from plan.subplans.selectors import scopes_register as subplans_scopes_register

    subplans_scopes_register()
    meetings_scopes_register()
    home_lines_register()

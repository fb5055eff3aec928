"""The back office's 任务清单 menu: each domain of the plan app adds its items through this hook."""

PLAN_MENU_HOOK = "register_plan_menu_item"

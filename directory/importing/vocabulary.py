"""The Chinese words import files use for the registry's choices (the templates are Chinese
whatever the interface language)."""

from directory.constants import EmploymentType, PersonRole

ROLE_WORDS = {
    "主要负责人": PersonRole.PRINCIPAL,
    "负责人": PersonRole.PRINCIPAL,
    "安全管理人员": PersonRole.SAFETY_MANAGER,
    "安全管理员": PersonRole.SAFETY_MANAGER,
    "特种作业人员": PersonRole.SPECIAL_OPERATOR,
    "一般从业人员": PersonRole.GENERAL_WORKER,
    "从业人员": PersonRole.GENERAL_WORKER,
    "监管人员": PersonRole.INSPECTOR,
    "领导干部": PersonRole.CADRE,
}
ROLE_NAMES = {
    PersonRole.PRINCIPAL: "主要负责人",
    PersonRole.SAFETY_MANAGER: "安全管理人员",
    PersonRole.SPECIAL_OPERATOR: "特种作业人员",
    PersonRole.GENERAL_WORKER: "一般从业人员",
    PersonRole.INSPECTOR: "监管人员",
    PersonRole.CADRE: "领导干部",
}

EMPLOYMENT_WORDS = {
    "正式": EmploymentType.REGULAR,
    "正式员工": EmploymentType.REGULAR,
    "合同制": EmploymentType.REGULAR,
    "劳务派遣": EmploymentType.DISPATCHED,
    "派遣": EmploymentType.DISPATCHED,
    "外包": EmploymentType.OUTSOURCED,
    "劳务外包": EmploymentType.OUTSOURCED,
    "灵活用工": EmploymentType.FLEXIBLE,
    "实习": EmploymentType.INTERN,
    "实习生": EmploymentType.INTERN,
}
EMPLOYMENT_NAMES = {
    EmploymentType.REGULAR: "正式",
    EmploymentType.DISPATCHED: "劳务派遣",
    EmploymentType.OUTSOURCED: "外包",
    EmploymentType.FLEXIBLE: "灵活用工",
    EmploymentType.INTERN: "实习",
}

YES_WORDS = {"是", "Y", "YES", "TRUE", "1", "√", "✓", "有"}
NO_WORDS = {"否", "N", "NO", "FALSE", "0", "×", "无", ""}

from .directory import (
    DepartmentFactory,
    EnterpriseFactory,
    IndustryFactory,
    PersonFactory,
    UserFactory,
    VillageFactory,
    credit_code_make,
    id_number_make,
)

__all__ = [
    "DepartmentFactory",
    "EnterpriseFactory",
    "IndustryFactory",
    "PersonFactory",
    "UserFactory",
    "VillageFactory",
    "credit_code_make",
    "id_number_make",
]

import datetime

import factory

from directory.constants import AccountRole, RiskClass
from directory.demo import credit_code_make, id_number_make
from directory.models import Department, Enterprise, Industry, Person, User, Village

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


class IndustryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Industry
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"行业{n}")
    risk_class = RiskClass.GENERAL


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"部门{n}")


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"村居{n}")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    credit_code = factory.Sequence(lambda n: credit_code_make(n + 1))
    address = "徐泾镇测试路1号"
    village = factory.SubFactory(VillageFactory)
    industry = factory.SubFactory(IndustryFactory)
    lead_department = factory.SubFactory(DepartmentFactory)
    headcount = 10


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"张{n}")
    id_number = factory.Sequence(lambda n: id_number_make(n + 1))
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    employer = factory.SubFactory(EnterpriseFactory)
    is_general_worker = True
    hire_date = datetime.date(2020, 1, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests")
    role = AccountRole.LEARNER

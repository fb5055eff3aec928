"""The demo town as data: deterministic identifiers (valid checksums, never real people), the
tables of departments, villages and industries, and the Planner that draws the whole town from
one seeded random generator. `manage.py seed_demo` writes what the Planner draws."""

import datetime
import random
from dataclasses import dataclass, field

from stdnum.cn import ric, uscc

from directory.constants import LEAD_DEPARTMENTS, TOWN_OFFICE_NAME, EmploymentType, RiskClass

QINGPU_AREA = "310118"  # 上海市青浦区


def id_number_make(n: int, *, area: str = QINGPU_AREA, birth: datetime.date | None = None) -> str:
    """The n-th demo resident ID number: a valid check digit, a real birth date."""
    if birth is None:
        # 1000 sequence numbers per birth date; 13 is coprime with 16000, so the dates of
        # successive blocks spread over 1960–2003 and never repeat below 16 million.
        birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=(n // 1000 * 13) % 16000)
    body = f"{area}{birth:%Y%m%d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def credit_code_make(n: int, *, area: str = QINGPU_AREA) -> str:
    """The n-th demo unified social credit code (91 = enterprise registered with the market regulator)."""
    body = f"91{area}{n:09d}"
    return body + uscc.calc_check_digit(body)


SEED = 2026
DEMO_PASSWORD = "xujing2026"  # noqa: S105 - printed on purpose: demo logins only
ENTERPRISE_COUNT = 200
EMPLOYEE_COUNT = 3000
INSPECTOR_COUNT = 30
# Sequence numbers of demo credit codes and ID numbers start here, clear of the test factories'.
SERIAL_BASE = 100_000
HIRED_BY = datetime.date(2025, 12, 31)

H, C, R, G = (
    RiskClass.HIGH_RISK,
    RiskClass.CONSTRUCTION,
    RiskClass.ROAD_TRANSPORT,
    RiskClass.GENERAL,
)
# Industry, risk class, lead department(s), share of the demo enterprises, endings of their names.
# 非煤矿山 has no enterprise in Xujing but belongs in the table of high-risk industries.
INDUSTRIES = [
    ("危险化学品", H, "经发办", 6, "化工贸易 化学品储运"),
    ("烟花爆竹", H, "徐泾派出所", 1, "烟花爆竹经营"),
    ("金属冶炼", H, "经发办", 3, "金属制品 铝业"),
    ("非煤矿山", H, "经发办", 0, ""),
    ("建筑施工", C, "规建办 城建中心", 16, "建设工程 建筑工程"),
    ("道路运输", R, "交警支队机动一大队", 8, "汽车运输 货运"),
    ("机械制造", G, "经发办", 22, "机械 精密机械 机电设备"),
    ("电子制造", G, "经发办", 12, "电子科技 电子"),
    ("纺织服装", G, "经发办", 8, "服饰 纺织品"),
    ("商贸零售", G, "徐泾市场所 西虹桥市场所", 20, "商贸 超市"),
    ("餐饮住宿", G, "徐泾市场所 西虹桥市场所", 18, "餐饮管理 酒店管理"),
    ("仓储物流", G, "城运中心", 14, "物流 仓储服务 供应链管理"),
    ("物业管理", G, "社建办", 10, "物业管理"),
    ("医疗养老", G, "社发办", 5, "护理院 养老服务"),
    ("教育培训", G, "社发办", 4, "教育培训"),
    ("文化娱乐", G, "文体中心", 5, "文化传播 体育发展"),
    ("农业生产", G, "农服中心", 4, "农业发展 生态农业"),
    ("供排水", G, "水务所", 2, "水务工程"),
    ("燃气经营", G, "城建中心", 2, "燃气"),
    ("再生资源回收", G, "综合整治办", 3, "再生资源"),
    ("旅馆业", G, "徐乐路派出所", 4, "宾馆 酒店"),
    ("沿街商铺", G, "综合行政执法队", 6, "便利店 五金"),
]
# The demo industries that 《生产安全事故应急条例》(708号令) 第八条 makes drill every half year
# (Industry.drills_half_yearly): flammable/explosive/hazardous goods, mines, metal smelting,
# construction, and hotels, shopping malls, entertainment venues (crowded places).
HALF_YEARLY_DRILL_INDUSTRIES = frozenset(
    {
        "危险化学品",
        "烟花爆竹",
        "金属冶炼",
        "非煤矿山",
        "建筑施工",
        "燃气经营",
        "商贸零售",
        "餐饮住宿",
        "旅馆业",
        "文化娱乐",
    }
)
# Posts per industry: special-operation posts (特种作业), then ordinary posts.
POSTS = {
    "危险化学品": ("危险化学品安全作业 电工", "仓管员 装卸工 销售员"),
    "烟花爆竹": ("电工", "销售员 仓管员"),
    "金属冶炼": ("焊工 起重机司机 电工", "熔炼工 浇铸工 操作工"),
    "建筑施工": ("架子工 塔吊司机 电工 焊工", "钢筋工 木工 混凝土工 施工员"),
    "道路运输": ("电工", "驾驶员 调度员 押运员"),
    "机械制造": ("焊工 电工 叉车司机 起重机司机", "装配工 车工 质检员 操作工"),
    "电子制造": ("电工 制冷工", "贴片操作员 测试员 质检员"),
    "纺织服装": ("电工", "缝纫工 裁剪工 整烫工"),
    "商贸零售": ("电工 制冷工", "营业员 收银员 理货员"),
    "餐饮住宿": ("电工", "厨师 服务员 前台接待"),
    "仓储物流": ("叉车司机 电工", "分拣员 仓管员 装卸工"),
    "物业管理": ("电工 制冷工 登高架设作业人员", "保安员 保洁员 维修工"),
    "医疗养老": ("电工", "护理员 护士 后勤"),
    "教育培训": ("电工", "教师 行政"),
    "文化娱乐": ("电工", "场务 安保员 服务员"),
    "农业生产": ("电工", "种植工 农机手"),
    "供排水": ("电工 有限空间作业", "泵站值守员 管网巡检员"),
    "燃气经营": ("电工", "送气工 巡检员"),
    "再生资源回收": ("叉车司机", "分拣工 驾驶员"),
    "旅馆业": ("电工", "前台接待 客房服务员"),
    "沿街商铺": ("电工", "店员"),
}
CROWDED = {"商贸零售", "餐饮住宿", "医疗养老", "教育培训", "文化娱乐", "旅馆业"}
HAZMAT_LIKELY = {"金属冶炼": 0.5, "机械制造": 0.1, "电子制造": 0.15, "燃气经营": 1.0}


def _words(text: str) -> list[str]:
    return text.split()


VILLAGES = [
    (name, "village")
    for name in _words(
        "徐泾村 金云村 民主村 光联村 蟠龙村 前明村 二联村 陆家角村 华新村 龙阳村 金联村 联民村 "
        "卫家角村 徐南村"
    )
] + [
    (name, "community")
    for name in _words(
        "徐泾一居委 徐泾二居委 徐泾三居委 徐泾四居委 蟠龙居委 金云居委 尚泰居委 西郊居委"
    )
]
ROADS = _words(
    "崧泽大道 诸光路 徐乐路 龙联路 明珠路 华徐公路 高泾路 蟠龙路 "
    "沪青平公路 徐民路 振泾路 京华路 双联路 徐盈路 联民路"
)
BRANDS = _words(
    "恒信 华泰 金鼎 宏达 新航 博远 嘉禾 瑞丰 永盛 明晟 鑫源 祥和 凯航 联创 佳美 "
    "同福 康宁 中达 盛泰 天成 德润 锦程 宝丰 富源 汇通 宏图 东升 启航 远帆 新锐 "
    "卓越 精诚 力拓 恒昌 荣华 安泰 协力 顺达 隆盛 华美 吉祥 晨光 润泽 昌盛 海纳 "
    "兴业 诚信 鼎盛 青禾 虹联 泾源 蟠石 崧泽 淀西 泾北 申徐 沪泾 龙晟 兆丰 广益"
)
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖"
    "田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦顾钱倪"
)
MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林海峰建国志文东晨阳洋睿博"
FEMALE = "芳娜敏静丽艳娟霞燕玲英琳婷雪慧颖倩洁晶红梅萍莉兰丹佳怡欣悦雯蕾璐茜"
EMPLOYMENT = [
    (EmploymentType.REGULAR, 74),
    (EmploymentType.DISPATCHED, 8),
    (EmploymentType.OUTSOURCED, 8),
    (EmploymentType.FLEXIBLE, 6),
    (EmploymentType.INTERN, 4),
]
EMPLOYMENT_CONSTRUCTION = [
    (EmploymentType.REGULAR, 45),
    (EmploymentType.DISPATCHED, 10),
    (EmploymentType.OUTSOURCED, 30),
    (EmploymentType.FLEXIBLE, 13),
    (EmploymentType.INTERN, 2),
]
# The enterprise every demo login points at, so each role sees it from its own side.
DEMO_ENTERPRISE = ("上海泾华精密机械有限公司", "徐泾村", "机械制造", "经发办")
DEMO_VILLAGE = "徐泾村"
DEMO_DEPARTMENT = "经发办"


@dataclass
class PlannedEnterprise:
    credit_code: str
    name: str
    address: str
    village: str
    industry: str
    lead_department: str
    is_fire_key_unit: bool
    handles_hazardous_chemicals: bool
    is_crowded_place: bool
    people: list[dict] = field(default_factory=list)


class Planner:
    """Draws the whole demo town from one seeded generator; touches no database."""

    def __init__(
        self,
        *,
        enterprises: int = ENTERPRISE_COUNT,
        employees: int = EMPLOYEE_COUNT,
        inspectors: int = INSPECTOR_COUNT,
        villages: list[str] | None = None,
    ):
        self.rng = random.Random(SEED)
        self.serial = SERIAL_BASE
        self.enterprise_count = enterprises
        self.employee_count = employees
        self.inspector_count = inspectors
        self.village_names = villages or [name for name, _kind in VILLAGES]
        self.id_numbers: set[str] = set()
        self.industries = {
            name: (risk, leads.split(), endings.split())
            for name, risk, leads, _w, endings in INDUSTRIES
        }

    def enterprises(self) -> list[PlannedEnterprise]:
        """Every enterprise with its people (the demo town: a few thousand people in memory)."""
        planned = self.enterprise_plan()
        for enterprise, size in zip(planned, self.sizes(len(planned)), strict=True):
            enterprise.people = self.people_for(enterprise, size)
        return planned

    def enterprise_plan(self) -> list[PlannedEnterprise]:
        """The enterprises without their people (seed_scale draws people one enterprise at a time)."""
        rng = self.rng
        names = {DEMO_ENTERPRISE[0]}
        planned = [self._enterprise(0, *DEMO_ENTERPRISE)]
        weighted = [row[0] for row in INDUSTRIES]
        weights = [row[3] for row in INDUSTRIES]
        for n in range(1, self.enterprise_count):
            industry = rng.choices(weighted, weights)[0]
            _risk, leads, endings = self.industries[industry]
            name = DEMO_ENTERPRISE[0]
            tries = 0
            while name in names:
                brand, ending = rng.choice(BRANDS), rng.choice(endings)
                name = (
                    f"上海{brand}{ending}有限公司"
                    if rng.random() < 0.8
                    else f"{brand}（上海）{ending}有限公司"
                )
                tries += 1
                if tries > 3:  # a city has more firms than brands × trades: branches then
                    name = f"{name}第{n}分公司"
            names.add(name)
            planned.append(
                self._enterprise(
                    n, name, rng.choice(self.village_names), industry, rng.choice(leads)
                )
            )
        return planned

    def people_for(self, enterprise: PlannedEnterprise, size: int) -> list[dict]:
        return [self._employee(enterprise, i) for i in range(size)]

    def _enterprise(
        self, n: int, name: str, village: str, industry: str, lead: str
    ) -> PlannedEnterprise:
        rng = self.rng
        crowded = industry in CROWDED and rng.random() < 0.6
        hazmat = industry == "危险化学品" or rng.random() < HAZMAT_LIKELY.get(industry, 0.0)
        return PlannedEnterprise(
            credit_code=credit_code_make(SERIAL_BASE + n),
            name=name,
            address=f"徐泾镇{rng.choice(ROADS)}{rng.randint(1, 2999)}号",
            village=village,
            industry=industry,
            lead_department=lead,
            is_fire_key_unit=rng.random() < (0.5 if crowded or hazmat else 0.08),
            handles_hazardous_chemicals=hazmat,
            is_crowded_place=crowded,
        )

    def sizes(self, count: int) -> list[int]:
        """Headcounts adding up to the employee count: at least 3 each, a few large employers."""
        total = self.employee_count
        weights = [self.rng.paretovariate(1.6) for _ in range(count)]
        spare = total - 3 * count
        shares = [spare * w / sum(weights) for w in weights]
        sizes = [3 + int(s) for s in shares]
        by_remainder = sorted(range(count), key=lambda i: shares[i] - int(shares[i]), reverse=True)
        for i in by_remainder[: total - sum(sizes)]:
            sizes[i] += 1
        sizes[0] = max(sizes[0], 12)  # the demo enterprise shows a real roster
        return sizes

    def _person(self, *, born_from: int, born_to: int) -> dict:
        rng = self.rng
        self.serial += 1
        birth = datetime.date(born_from, 1, 1) + datetime.timedelta(
            days=rng.randrange((born_to - born_from) * 365)
        )
        id_number = id_number_make(self.serial, birth=birth)
        while id_number in self.id_numbers:
            birth += datetime.timedelta(days=1)
            id_number = id_number_make(self.serial, birth=birth)
        self.id_numbers.add(id_number)
        # GB 11643: an odd sequence number is a man.
        given = MALE if self.serial % 2 else FEMALE
        name = rng.choice(SURNAMES) + "".join(rng.choices(given, k=rng.choice((1, 2, 2, 2))))
        earliest = max(datetime.date(birth.year + 18, 9, 1), datetime.date(2005, 1, 1))
        hire = earliest + datetime.timedelta(days=rng.randrange(max(1, (HIRED_BY - earliest).days)))
        return {
            "name": name,
            "id_number": id_number,
            "phone": f"138{rng.randrange(10**8):08d}",
            "hire_date": min(hire, HIRED_BY),
        }

    def _employee(self, enterprise: PlannedEnterprise, index: int) -> dict:
        rng = self.rng
        risk = self.industries[enterprise.industry][0]
        special_posts, posts = (posts.split() for posts in POSTS[enterprise.industry])
        if index > 1:
            person = self._person(born_from=1966, born_to=2004)
        else:
            person = self._person(born_from=1962, born_to=1992)
        person.update(employment_type=EmploymentType.REGULAR, employer=enterprise.credit_code)
        if index == 0:
            person.update(is_principal=True, post=rng.choice(["总经理", "法定代表人", "董事长"]))
        elif index == 1:
            operator = rng.random() < 0.2
            person.update(is_safety_manager=True, is_special_operator=operator)
            person["post"] = (
                "安全管理员兼电工" if operator else rng.choice(["安全管理员", "安全主管"])
            )
        elif index > 2 and rng.random() < 0.18:  # index 2 stays an ordinary worker: the learner
            person.update(is_special_operator=True, post=rng.choice(special_posts))
        else:
            mix = EMPLOYMENT_CONSTRUCTION if risk == RiskClass.CONSTRUCTION else EMPLOYMENT
            kinds, weights = zip(*mix, strict=True)
            employment = EmploymentType.REGULAR if index == 2 else rng.choices(kinds, weights)[0]
            person.update(
                is_general_worker=True, post=rng.choice(posts), employment_type=employment
            )
        return person

    def inspectors(self) -> list[dict]:
        units = [TOWN_OFFICE_NAME, *LEAD_DEPARTMENTS]
        inspectors = []
        for i in range(self.inspector_count):
            unit = units[i % len(units)]
            person = self._person(born_from=1968, born_to=1998)
            post = "民警" if "派出所" in unit else "交警" if "交警" in unit else "安全监管员"
            person.update(department=unit, is_inspector=True, post=post)
            inspectors.append(person)
        return inspectors


# The demo town is part-way through its year: each village and each lead department has its own
# share of people or enterprises covered (training, hours, drills), between these two.
SHARE_LOW, SHARE_HIGH = 0.3, 0.9


def unit_shares(purpose: str, names: list[str]) -> dict[str, float]:
    """A share between SHARE_LOW and SHARE_HIGH for each unit name, drawn from the demo's seed
    and the purpose (so each app's figures differ by unit, and from each other)."""
    rng = random.Random(f"{SEED}:{purpose}")
    return {name: round(rng.uniform(SHARE_LOW, SHARE_HIGH), 2) for name in sorted(names)}


def covered_chance(village_share: float | None, department_share: float | None) -> float:
    """The chance one person or enterprise is covered: its village's and department's shares
    averaged (the one that exists when the other does not)."""
    shares = [s for s in (village_share, department_share) if s is not None]
    return sum(shares) / len(shares) if shares else (SHARE_LOW + SHARE_HIGH) / 2


def past_months(today: datetime.date) -> list[int]:
    """The months of this year up to today (January's alone early in January)."""
    return list(range(1, today.month + 1))

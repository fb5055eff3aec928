"""The certificate vocabulary as data: the special-operation catalogue and the other certificate types.

Every row carries its source (shared/reference/regulations.md §1, §3). The data migration
`0001_registry`/`0002_registry_catalogue` seeds these rows; an officer corrects a row in the back
office, and a later release corrects it here and in a new data migration.
"""

# 《特种作业人员安全技术培训考核管理规定》(原国家安监总局令第30号) 附件《特种作业目录》.
# Names are as read in the annex (V); the sub-operation codes follow the annex order (R).
SOURCE_CATALOGUE = "原国家安监总局令第30号 附件《特种作业目录》"
# 安监总人事〔2018〕18号 added three electrician operations to category 1.
SOURCE_2018 = "安监总人事〔2018〕18号"

# (category code, category name, [(operation code, operation name, source)])
SPECIAL_OPERATION_CATALOGUE: list[tuple[str, str, list[tuple[str, str, str]]]] = [
    (
        "1",
        "电工作业",
        [
            ("1.1", "高压电工作业", SOURCE_CATALOGUE),
            ("1.2", "低压电工作业", SOURCE_CATALOGUE),
            ("1.3", "防爆电气作业", SOURCE_CATALOGUE),
            ("1.4", "电力电缆作业", SOURCE_2018),
            ("1.5", "继电保护作业", SOURCE_2018),
            ("1.6", "电气试验作业", SOURCE_2018),
        ],
    ),
    (
        "2",
        "焊接与热切割作业",
        [
            ("2.1", "熔化焊接与热切割作业", SOURCE_CATALOGUE),
            ("2.2", "压力焊作业", SOURCE_CATALOGUE),
            ("2.3", "钎焊作业", SOURCE_CATALOGUE),
        ],
    ),
    (
        "3",
        "高处作业",
        [
            ("3.1", "登高架设作业", SOURCE_CATALOGUE),
            ("3.2", "高处安装、维护、拆除作业", SOURCE_CATALOGUE),
        ],
    ),
    (
        "4",
        "制冷与空调作业",
        [
            ("4.1", "制冷与空调设备运行操作作业", SOURCE_CATALOGUE),
            ("4.2", "制冷与空调设备安装修理作业", SOURCE_CATALOGUE),
        ],
    ),
    (
        "5",
        "煤矿安全作业",
        [
            (f"5.{n}", name, SOURCE_CATALOGUE)
            for n, name in enumerate(
                [
                    "煤矿井下电气作业",
                    "煤矿井下爆破作业",
                    "煤矿安全监测监控作业",
                    "煤矿瓦斯检查作业",
                    "煤矿安全检查作业",
                    "煤矿提升机操作作业",
                    "煤矿采煤机（掘进机）操作作业",
                    "煤矿瓦斯抽采作业",
                    "煤矿防突作业",
                    "煤矿探放水作业",
                ],
                start=1,
            )
        ],
    ),
    (
        "6",
        "金属非金属矿山安全作业",
        [
            (f"6.{n}", name, SOURCE_CATALOGUE)
            for n, name in enumerate(
                [
                    "金属非金属矿井通风作业",
                    "尾矿作业",
                    "金属非金属矿山安全检查作业",
                    "金属非金属矿山提升机操作作业",
                    "金属非金属矿山支柱作业",
                    "金属非金属矿山井下电气作业",
                    "金属非金属矿山排水作业",
                    "金属非金属矿山爆破作业",
                ],
                start=1,
            )
        ],
    ),
    ("7", "石油天然气安全作业", [("7.1", "司钻作业", SOURCE_CATALOGUE)]),
    ("8", "冶金（有色）生产安全作业", [("8.1", "煤气作业", SOURCE_CATALOGUE)]),
    (
        "9",
        "危险化学品安全作业",
        [
            (f"9.{n}", name, SOURCE_CATALOGUE)
            for n, name in enumerate(
                [
                    "光气及光气化工艺作业",
                    "氯碱电解工艺作业",
                    "氯化工艺作业",
                    "硝化工艺作业",
                    "合成氨工艺作业",
                    "裂解（裂化）工艺作业",
                    "氟化工艺作业",
                    "加氢工艺作业",
                    "重氮化工艺作业",
                    "氧化工艺作业",
                    "过氧化工艺作业",
                    "胺基化工艺作业",
                    "磺化工艺作业",
                    "聚合工艺作业",
                    "烷基化工艺作业",
                    "化工自动化控制仪表作业",
                ],
                start=1,
            )
        ],
    ),
    (
        "10",
        "烟花爆竹安全作业",
        [
            (f"10.{n}", name, SOURCE_CATALOGUE)
            for n, name in enumerate(
                [
                    "烟火药制造作业",
                    "黑火药制造作业",
                    "引火线制造作业",
                    "烟花爆竹产品涉药作业",
                    "烟花爆竹储存作业",
                ],
                start=1,
            )
        ],
    ),
    # The annex's catch-all: operations the ministry designates later; none listed yet.
    ("11", "应急管理部认定的其他作业", []),
]

# What a certificate type qualifies its holder for (持证上岗).
QUALIFIES_SPECIAL_OPERATOR = "special_operator"
QUALIFIES_MANAGEMENT = "management"

SPECIAL_OPERATION = "special_operation"
MANAGEMENT_ABILITY = "management_ability"
SPECIAL_EQUIPMENT = "special_equipment"
CONSTRUCTION_SPECIAL = "construction_special"

# Certificate types: code, name, validity (years), review interval (years), extended review
# interval (years), needs a catalogue operation, what it qualifies for, issuing system, source.
CERTIFICATE_TYPES: list[dict] = [
    {
        "code": SPECIAL_OPERATION,
        "name": "特种作业操作证",
        # 第十九条: valid 6 years nationwide (V).
        "validity_years": 6,
        # 第二十一条: review every 3 years; 6 years for 10+ years in the same operation without
        # violations when the authority consents (V).
        "review_interval_years": 3,
        "extended_review_interval_years": 6,
        "needs_operation": True,
        "qualifies": QUALIFIES_SPECIAL_OPERATOR,
        "issuer": "应急管理部门",
        "source": "原国家安监总局令第30号 第十九条、第二十一条",
        "sort_order": 1,
    },
    {
        "code": MANAGEMENT_ABILITY,
        "name": "安全生产知识和管理能力考核合格证",
        # Valid 3 years; renewed by a new assessment ≥ 30 days before expiry (V).
        "validity_years": 3,
        "review_interval_years": None,
        "extended_review_interval_years": None,
        "needs_operation": False,
        "qualifies": QUALIFIES_MANAGEMENT,
        "issuer": "应急管理部门",
        "source": "安全生产法 第二十七条；安监总培训〔2013〕104号",
        "sort_order": 2,
    },
    {
        "code": SPECIAL_EQUIPMENT,
        "name": "特种设备安全管理和作业人员证",
        # Crane, forklift, boiler, pressure-vessel operators (market regulator, not in the
        # catalogue above). Valid 4 years, renewed at expiry (TSG Z6001-2019, R: configurable here).
        "validity_years": 4,
        "review_interval_years": None,
        "extended_review_interval_years": None,
        "needs_operation": False,
        "qualifies": QUALIFIES_SPECIAL_OPERATOR,
        "issuer": "市场监督管理部门",
        "source": "《特种设备作业人员监督管理办法》；TSG Z6001-2019（有效期可在此修改）",
        "sort_order": 3,
    },
    {
        "code": CONSTRUCTION_SPECIAL,
        "name": "建筑施工特种作业操作资格证",
        # Construction special operations (住建; theory pass mark 60). Valid 2 years, extended by
        # 延期复核 at expiry (建质〔2008〕75号, R: configurable here).
        "validity_years": 2,
        "review_interval_years": None,
        "extended_review_interval_years": None,
        "needs_operation": False,
        "qualifies": QUALIFIES_SPECIAL_OPERATOR,
        "issuer": "住房和城乡建设部门",
        "source": "《建筑施工特种作业人员管理规定》建质〔2008〕75号（有效期可在此修改）",
        "sort_order": 4,
    },
]


# Posts (工种/岗位) and what each requires: (post name, [operation names], [certificate type codes]).
# 持证上岗: a special operator holds the card of the operation they work (原国家安监总局令第30号
# 第五条; 《安全生产法》第三十条); crane and forklift drivers hold the special-equipment card
# (《特种设备安全法》第十四条). The town office adds posts and corrects rows in the back office.
POST_REQUIREMENTS: list[tuple[str, list[str], list[str]]] = [
    ("电工", ["低压电工作业"], []),
    ("高压电工", ["高压电工作业"], []),
    ("焊工", ["熔化焊接与热切割作业"], []),
    ("登高架设作业人员", ["登高架设作业"], []),
    ("高处安装维护拆除作业人员", ["高处安装、维护、拆除作业"], []),
    ("制冷工", ["制冷与空调设备运行操作作业"], []),
    ("制冷设备安装修理工", ["制冷与空调设备安装修理作业"], []),
    ("叉车司机", [], [SPECIAL_EQUIPMENT]),
    ("起重机司机", [], [SPECIAL_EQUIPMENT]),
    ("锅炉工", [], [SPECIAL_EQUIPMENT]),
    # Construction sites: 建筑施工特种作业 (建质〔2008〕75号 第二条).
    ("塔吊司机", [], [CONSTRUCTION_SPECIAL]),
    ("架子工", [], [CONSTRUCTION_SPECIAL]),
]
POST_REQUIREMENTS_SOURCE = {
    SPECIAL_OPERATION: "原国家安监总局令第30号 第五条",
    SPECIAL_EQUIPMENT: "《特种设备安全法》第十四条",
    CONSTRUCTION_SPECIAL: "建质〔2008〕75号 第二条",
}

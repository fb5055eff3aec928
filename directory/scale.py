"""Dataset sizes for `seed_scale`: one town, a district, a city.

The registry draws its people with the demo town's planner (directory.demo.Planner), so a scale
dataset looks like Xujing: the same industries, risk classes, lead departments, posts and mix of
employment types, only more of them. Other apps add their records (ledger rows, exam attempts,
certificates, drills) through a `seed_scale(scale, stdout)` method on their AppConfig.
"""

from dataclasses import dataclass

from directory.demo import VILLAGES


@dataclass(frozen=True)
class Scale:
    name: str
    enterprises: int
    people: int
    inspectors: int
    towns: int  # villages are drawn per town: a district or a city has many towns
    ledger_rows: int
    attempts: int
    certificates: int
    drills: int


SCALES = {
    "town": Scale("town", 5_000, 100_000, 200, 1, 1_000_000, 100_000, 50_000, 20_000),
    "district": Scale("district", 25_000, 300_000, 800, 11, 3_000_000, 300_000, 150_000, 50_000),
    "city": Scale("city", 100_000, 1_000_000, 3_000, 40, 10_000_000, 1_000_000, 500_000, 200_000),
    # A few seconds' worth, for the test suite.
    "tiny": Scale("tiny", 40, 400, 10, 1, 2_000, 200, 100, 40),
}

QINGPU_TOWNS = [
    "徐泾镇",
    "华新镇",
    "重固镇",
    "赵巷镇",
    "白鹤镇",
    "朱家角镇",
    "练塘镇",
    "金泽镇",
    "香花桥街道",
    "盈浦街道",
    "夏阳街道",
]


def village_names(scale: Scale) -> list[tuple[str, str]]:
    """(name, kind) of every village: Xujing's own, then the same set per further town."""
    villages = list(VILLAGES)
    for t in range(1, scale.towns):
        town = QINGPU_TOWNS[t % len(QINGPU_TOWNS)] + ("" if t < len(QINGPU_TOWNS) else str(t))
        villages += [(f"{town}{name}", kind) for name, kind in VILLAGES]
    return villages

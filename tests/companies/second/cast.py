"""Who and where: the company's two offices, the competitors' sites, and the people with the
part each plays in the planted scenarios.

巴蜀联拓工业设备有限公司 sells industrial equipment and consumables from an office in 成都
(attendance on DingTalk) and one in 重庆 (attendance on WeCom). All positions here are WGS-84
(the files write GCJ-02 where the source would).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from companies.second.geo import LatLon, offset
from companies.second.names import NamePool

COMPANY = "巴蜀联拓工业设备有限公司"
CITY_CENTRE: dict[str, LatLon] = {"成都": (30.625, 104.060), "重庆": (29.575, 106.525)}
ATTENDANCE_APP = {"成都": "dingtalk", "重庆": "wecom"}


@dataclass(frozen=True)
class Office:
    name: str
    city: str
    address: str
    pos: LatLon
    radius_m: float


@dataclass(frozen=True)
class Site:
    competitor: str
    name: str
    city: str
    address: str
    pos: LatLon
    #: Empty in the file for some sites (the importer's default, 200 m, applies).
    radius_m: float | None


@dataclass
class Person:
    no: str
    name: str
    gender: str
    city: str
    title: str
    manager_no: str | None
    hire: date
    dingtalk_userid: str
    home: LatLon
    #: "sales", "manager" or "director".
    role: str = "sales"
    #: How the person's GPS track reaches HR: "csv", "gpx" or None (no track).
    tracker: str | None = None
    #: The scenario the person plays ("" for an ordinary salesperson).
    part: str = ""
    territory: LatLon = (0.0, 0.0)
    #: Customers held at the start of the data (0 for the new hire).
    book_size: int = 0
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def department(self) -> str:
        return f"销售部-{self.city}"

    @property
    def wecom_userid(self) -> str:
        """The company uses the employee number as the WeCom account (issue 11 §4)."""
        return self.no


CHENGDU_OFFICE = Office(
    "成都办公室", "成都", "成都市高新区天府大道中段1268号天府软件园E3栋18楼",
    (30.54700, 104.06420), 150.0,
)  # fmt: skip
CHONGQING_OFFICE = Office(
    "重庆办公室", "重庆", "重庆市江北区江北城西大街25号平安财富中心18楼",
    (29.57350, 106.57500), 150.0,
)  # fmt: skip
OFFICES = (CHENGDU_OFFICE, CHONGQING_OFFICE)

#: The diverter's destination.
RIVAL = "锦城工控设备有限公司"
RIVAL_B = "西南恒拓机电有限公司"
RIVAL_C = "嘉陵精密器材有限公司"
#: The competitor site the commuter drives past: placed on his way in `build_cast`.
COMMUTE_SITE = "恒拓机电成都营业部"
#: The competitor with an office in the company's own tower (重庆).
TOWER_SITE = "嘉陵精密江北办公室"


def fixed_sites() -> list[Site]:
    tower = offset(CHONGQING_OFFICE.pos, 35, 120)
    rows = [
        (RIVAL, "锦城工控成都总部", "成都", "金牛区蜀汉路366号", (30.6790, 104.0195), 200),
        (RIVAL, "锦城工控高新西区仓库", "成都", "郫都区新园大道88号", (30.7260, 103.9720), None),
        (RIVAL, "锦城工控重庆办事处", "重庆", "九龙坡区石桥铺正街9号", (29.5330, 106.4830), 200),
        (RIVAL_B, "恒拓机电重庆分公司", "重庆", "渝北区金开大道66号", (29.6330, 106.5520), 200),
        (RIVAL_C, TOWER_SITE, "重庆", "江北区江北城西大街25号平安财富中心9楼", tower, 200),
        (RIVAL_C, "嘉陵精密九龙坡仓库", "重庆", "九龙坡区西城大道210号", (29.4930, 106.4650), None),
        (RIVAL_C, "嘉陵精密成都联络处", "成都", "成华区二环路东三段12号", (30.6600, 104.1110), 200),
    ]
    return [Site(c, n, city, f"{city}市{a}", pos, r) for c, n, city, a, pos, r in rows]


#: (part, tracker, book size) of the salespeople in each city. Book sizes of ordinary people
#: are drawn; None here means "drawn".
PLAN: dict[str, list[tuple[str, str | None, int | None]]] = {
    "成都": [
        ("diverter", "csv", 24),
        ("commuter", "gpx", None),
        ("", "csv", None),
        ("", "csv", None),
        ("", None, None),
        ("", None, None),
        ("", None, None),
        ("", None, None),
        ("", None, None),
    ],
    "重庆": [
        ("fake_fieldwork", None, None),
        ("territory_from", "csv", 20),
        ("territory_to", "csv", 17),
        ("", "gpx", None),
        ("handover_from", None, 18),
        ("new_hire", None, 0),
        ("", None, None),
        ("", None, None),
        ("", None, None),
    ],
}
NEW_HIRE_DAY = date(2024, 5, 13)
#: Where the diverter works (next to the rival's head office, north-west 成都).
DIVERTER_TERRITORY: LatLon = (30.6900, 104.0000)
FAKE_TERRITORY: LatLon = (29.5050, 106.5650)


def build_cast(rng: random.Random, pool: NamePool) -> tuple[list[Person], list[Site]]:
    """The people (director, two managers, 18 salespeople) and every competitor site."""
    numbers = iter(sorted(rng.sample(range(1000, 1999), 40)))
    people: list[Person] = []

    def person(city: str, title: str, manager: str | None, hire: date, role: str) -> Person:
        name, gender = pool.person()
        home = offset(CITY_CENTRE[city], rng.uniform(3000, 9000), rng.uniform(0, 360))
        p = Person(
            no=f"BS{next(numbers)}",
            name=name,
            gender=gender,
            city=city,
            title=title,
            manager_no=manager,
            hire=hire,
            dingtalk_userid=str(rng.randint(10**15, 10**16 - 1)),
            home=home,
            role=role,
        )
        people.append(p)
        return p

    director = person("成都", "销售总监", None, date(2015, 3, 2), "director")
    sites = fixed_sites()
    for city, plan in PLAN.items():
        manager = person(city, "销售经理", director.no, date(2017, 6, 12), "manager")
        n = len(plan)
        for i, (part, tracker, size) in enumerate(plan):
            hire = NEW_HIRE_DAY if part == "new_hire" else _hire_date(rng)
            title = "销售代表" if part == "new_hire" or rng.random() < 0.5 else "高级销售代表"
            p = person(city, title, manager.no, hire, "sales")
            p.part, p.tracker = part, tracker
            p.book_size = size if size is not None else rng.randint(14, 19)
            bearing = 360.0 * i / n + rng.uniform(-12, 12)
            p.territory = offset(CITY_CENTRE[city], rng.uniform(4500, 9500), bearing)
            if part == "diverter":
                p.territory = DIVERTER_TERRITORY
            if part == "fake_fieldwork":
                p.territory = FAKE_TERRITORY
            if part == "commuter":
                sites.append(_commute(p, rng))
    return people, sites


def _hire_date(rng: random.Random) -> date:
    return date(rng.randint(2016, 2023), rng.randint(1, 12), rng.randint(1, 28))


def _commute(p: Person, rng: random.Random) -> Site:
    """Put the commuter's home 9 km from the office, with a competitor site 60 m off the
    straight road between them (he drives past it twice a day, never stopping)."""
    bearing = rng.uniform(20, 70)
    office = CHENGDU_OFFICE.pos
    p.home = offset(office, 9000, bearing)
    on_road = offset(office, 3600, bearing)
    return Site(
        RIVAL_B, COMMUTE_SITE, "成都", "成都市武侯区剑南大道中段388号",
        offset(on_road, 60, bearing + 90), 200,
    )  # fmt: skip

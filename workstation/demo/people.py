"""The people: a sales director, one manager and ten salespeople per city, homes, users."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np

from workstation.demo.geom import distance_m
from workstation.demo.layout import random_position, site_avoid
from workstation.demo.names import person_name
from workstation.demo.places import CITIES, COMPANY_SHORT
from workstation.demo.world import PersonRec, UserRec, World
from workstation.domain.enums import Role

DIVERTER_NAME = ("王磊", "wanglei")
_PHONE_PREFIXES = ("138", "139", "135", "136", "137", "150", "151", "152", "158", "186", "187")


def _phone(rng: np.random.Generator) -> str:
    prefix = _PHONE_PREFIXES[int(rng.integers(0, len(_PHONE_PREFIXES)))]
    return prefix + f"{int(rng.integers(0, 100_000_000)):08d}"


def build_people(world: World, rng: np.random.Generator, named: dict[tuple[str, int], str]) -> None:
    """Create everyone. ``named`` maps (city code, salesperson index) to a fixed role name; the
    salesperson cast as "diverter" is called 王磊 (the name the issue tells the story with)."""
    taken = {DIVERTER_NAME[0]}
    used_wecom: set[str] = set()
    number = 10_000 + int(rng.integers(0, 500))
    office_by_city = {o.city.code: o for o in world.offices}
    latest_hire = world.first_day - timedelta(days=120)

    def add(city_code: str, role: str, title: str, manager_id: int | None, fixed: bool) -> None:
        nonlocal number
        number += int(rng.integers(1, 40))
        name, pinyin = DIVERTER_NAME if fixed else person_name(rng, taken)
        wecom = pinyin.capitalize()
        suffix = 1
        while wecom in used_wecom:
            suffix += 1
            wecom = f"{pinyin.capitalize()}{suffix}"
        used_wecom.add(wecom)
        office = office_by_city[city_code]
        span = (latest_hire - date(2014, 3, 1)).days
        hire = date(2014, 3, 1) + timedelta(days=int(rng.integers(0, span)))
        dingtalk = None
        if office.city.attendance_app == "dingtalk":
            dingtalk = str(int(rng.integers(10**15, 10**16)))
        department = "销售部" if role == "director" else f"{office.city.name}销售部"
        world.people.append(
            PersonRec(
                id=len(world.people) + 1,
                employee_no=f"HD{number}",
                name=name,
                pinyin=pinyin,
                city=office.city,
                office=office,
                role=role,
                title=title,
                department=department,
                manager_id=manager_id,
                hire_date=hire,
                phone=_phone(rng),
                wecom_userid=wecom,
                dingtalk_userid=dingtalk,
            )
        )

    add("SH", "director", "华东区销售总监", None, False)
    director_id = world.people[-1].id
    manager_ids = {}
    for city in CITIES:
        add(city.code, "manager", f"{city.name}区域销售经理", director_id, False)
        manager_ids[city.code] = world.people[-1].id
    for city in CITIES:
        for i in range(world.size.salespeople_per_city):
            role = named.get((city.code, i))
            title = "高级客户经理" if rng.random() < 0.3 else "客户经理"
            add(city.code, "sales", title, manager_ids[city.code], role == "diverter")


def place_homes(world: World, rng: np.random.Generator) -> None:
    """Everyone lives 3–15 km from their office, in a residential part of the city."""
    avoid = site_avoid(world)
    for person in world.people:
        office = person.office
        for _ in range(400):
            dist, lat, lon = random_position(person.city, rng, avoid=avoid)
            if 3000 <= distance_m(lat, lon, office.lat, office.lon) <= 15000:
                break
        person.home_lat, person.home_lon = lat, lon
        road = dist.roads[int(rng.integers(0, len(dist.roads)))]
        person.home_address = f"{person.city.prefix}{dist.name}{road}附近"


#: The password of every demo user (documented in the README; a demo is not for real data).
DEMO_PASSWORD = "casework-demo"


def build_users(world: World) -> None:
    """The workstation's own users, one per role (password: ``DEMO_PASSWORD``)."""
    manager = next(p for p in world.people if p.role == "manager" and p.city.code == "SZ")
    created = datetime.combine(world.first_day, time(9, 0), tzinfo=world.zone)
    plan = (
        ("hr.zhou", "周敏（人力资源）", Role.HR_OFFICER, None),
        ("sales.manager", f"{manager.name}（销售经理）", Role.SALES_MANAGER, manager),
        ("legal.sun", "孙律师（法务）", Role.LEGAL, None),
        ("admin", "系统管理员", Role.ADMINISTRATOR, None),
        ("auditor.qian", "钱审计（内审）", Role.AUDITOR, None),
    )
    for i, (username, display, role, employee) in enumerate(plan, start=1):
        world.users.append(UserRec(i, username, display, role.value, employee, created))


def department_label(person: PersonRec) -> str:
    return f"{COMPANY_SHORT}{person.department}"

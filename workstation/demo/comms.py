"""Communication records: WeCom chats and phone calls with customers and colleagues.

Ordinary work talk for everyone; in the last 30 days the diverter also talks to the rival and
steers customers to it (the kind of line an investigator finds in a chat export).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import numpy as np

from workstation.demo.clock import hm, local_dt, working_days
from workstation.demo.places import COMPANY_SHORT
from workstation.demo.sales import OwnerIndex
from workstation.demo.scenarios import Cast
from workstation.demo.world import CommRec, CustomerRec, PersonRec, World
from workstation.domain.enums import CommChannel, CommDirection, CustomerEventKind

RngFor = Callable[[str, int], np.random.Generator]

TO_CUSTOMER = (
    "{contact}您好，报价单已发到您邮箱，请查收。",
    "{contact}，明天上午十点左右到贵司拜访，方便吗？",
    "{contact}，上次提到的样品已经寄出，单号稍后发您。",
    "{contact}好，合同盖章版已寄出，请注意查收。",
    "{contact}，本月的货款麻烦安排一下，谢谢！",
    "收到，我跟技术部确认后回复您。",
    "{contact}，新一季的价格表发您了，有问题随时找我。",
)
FROM_CUSTOMER = (
    "报价再优惠一点可以吗？",
    "图纸已发你邮箱，帮忙核一下交期。",
    "明天我在厂里，过来吧。",
    "上批货有两件尺寸偏差，麻烦安排售后看看。",
    "好的，收到。",
    "下周要补一批货，数量回头发你。",
)
TO_COLLEAGUE = (
    "{customer}的报价帮我走一下审批。",
    "我下午在外面拜访客户，晚点回公司。",
    "本周周报已提交。",
    "{customer}那边要一份资质文件，麻烦发我一下。",
)
FROM_MANAGER = (
    "本周的拜访计划发我一下。",
    "{customer}的回款跟一下。",
    "下午三点部门例会，别迟到。",
    "月底了，订单情况汇总给我。",
)
WITH_RIVAL_OUT = (
    "{rival_contact}，下午三点我过去一趟，资料带着。",
    "{customer}那边我已经谈好了，下个月开始走你们的单。",
    "价格按上次说的，比{company}低五个点。",
    "提成的事见面再聊。",
    "客户名单我整理好了，明天带过去。",
)
WITH_RIVAL_IN = (
    "人到了吗？我在楼下。",
    "合同模板发你了，客户盖章后直接寄给我们。",
    "上次那几家客户的单子已经下了，这个月的点数月底结。",
)
STEER_CUSTOMER = (
    "{contact}，后续订单可以直接跟{rival}的刘经理对接，价格我都帮您谈好了。",
    "{contact}，我们这边流程慢，走{rival}那边当周就能发货，您放心。",
)


def _pick(options: tuple[str, ...], rng: np.random.Generator) -> str:
    return options[int(rng.integers(0, len(options)))]


def _call_text(rng: np.random.Generator) -> str:
    seconds = int(rng.integers(20, 900))
    return f"通话 {seconds // 60}分{seconds % 60:02d}秒"


def build_communications(world: World, cast: Cast, rng_for: RngFor) -> None:
    index = OwnerIndex(world)
    days = working_days(world.first_day, world.end_date)
    by_id = {p.id: p for p in world.people}
    rival_contact = "刘经理"
    for person in world.salespeople:
        rng = rng_for("comms", person.id)
        manager = by_id.get(person.manager_id or 0)
        for day in days:
            held = [o.customer for o in index.held(person, day)]
            for _ in range(int(rng.poisson(4.0))):
                _ordinary(world, person, manager, day, held, rng)
            if person is cast.diverter and day >= world.window_start and rng.random() < 0.6:
                _with_rival(world, cast, person, day, held, rival_contact, rng)
    for ev in world.events:
        if ev.employee is cast.diverter and ev.kind == CustomerEventKind.TRANSFERRED.value:
            rng = rng_for("steer", ev.customer.id)
            text = _pick(STEER_CUSTOMER, rng).format(
                contact=ev.customer.contact, rival=cast.rival.short
            )
            at = local_dt(ev.day, hm(10) + float(rng.uniform(-86400 * 3, -3600)), world.zone)
            _add(
                world,
                cast.diverter,
                at,
                CommChannel.WECOM,
                CommDirection.OUTBOUND,
                _customer_label(ev.customer),
                text,
                ev.customer,
            )


def _customer_label(cust: CustomerRec) -> str:
    return f"{cust.contact}（{cust.name}）"


def _add(
    world: World,
    person: PersonRec,
    at: datetime,
    channel: CommChannel,
    direction: CommDirection,
    counterpart: str,
    content: str | None,
    customer: CustomerRec | None = None,
) -> None:
    world.communications.append(
        CommRec(person, at, channel.value, direction.value, counterpart, content, customer)
    )


def _ordinary(
    world: World,
    person: PersonRec,
    manager: PersonRec | None,
    day: date,
    held: list[CustomerRec],
    rng: np.random.Generator,
) -> None:
    at = local_dt(day, hm(8, 30) + float(rng.uniform(0, 11.5 * 3600)), world.zone)
    kind = rng.random()
    cust = held[int(rng.integers(0, len(held)))] if held else None
    if cust is not None and kind < 0.45:
        if rng.random() < 0.6:
            text = _pick(TO_CUSTOMER, rng).format(contact=cust.contact)
            _add(
                world,
                person,
                at,
                CommChannel.WECOM,
                CommDirection.OUTBOUND,
                _customer_label(cust),
                text,
                cust,
            )
        else:
            text = _pick(FROM_CUSTOMER, rng)
            _add(
                world,
                person,
                at,
                CommChannel.WECOM,
                CommDirection.INBOUND,
                _customer_label(cust),
                text,
                cust,
            )
    elif cust is not None and kind < 0.75:
        direction = CommDirection.OUTBOUND if rng.random() < 0.6 else CommDirection.INBOUND
        _add(
            world,
            person,
            at,
            CommChannel.PHONE,
            direction,
            _customer_label(cust),
            _call_text(rng),
            cust,
        )
    elif manager is not None:
        name = cust.name if cust else "客户"
        if rng.random() < 0.5:
            text = _pick(TO_COLLEAGUE, rng).format(customer=name)
            _add(
                world,
                person,
                at,
                CommChannel.WECOM,
                CommDirection.OUTBOUND,
                f"{manager.name}（{COMPANY_SHORT}）",
                text,
            )
        else:
            text = _pick(FROM_MANAGER, rng).format(customer=name)
            _add(
                world,
                person,
                at,
                CommChannel.WECOM,
                CommDirection.INBOUND,
                f"{manager.name}（{COMPANY_SHORT}）",
                text,
            )


def _with_rival(
    world: World,
    cast: Cast,
    person: PersonRec,
    day: date,
    held: list[CustomerRec],
    contact: str,
    rng: np.random.Generator,
) -> None:
    at = local_dt(day, hm(12) + float(rng.uniform(0, 8 * 3600)), world.zone)
    label = f"{contact}（{cast.rival.short}）"
    if rng.random() < 0.4:
        direction = CommDirection.OUTBOUND if rng.random() < 0.7 else CommDirection.INBOUND
        _add(world, person, at, CommChannel.PHONE, direction, label, _call_text(rng))
        return
    customer = held[int(rng.integers(0, len(held)))].name if held else "那几家客户"
    if rng.random() < 0.65:
        text = _pick(WITH_RIVAL_OUT, rng).format(
            rival_contact=contact, customer=customer, company=COMPANY_SHORT
        )
        _add(world, person, at, CommChannel.WECOM, CommDirection.OUTBOUND, label, text)
    else:
        _add(
            world,
            person,
            at,
            CommChannel.WECOM,
            CommDirection.INBOUND,
            label,
            _pick(WITH_RIVAL_IN, rng),
        )

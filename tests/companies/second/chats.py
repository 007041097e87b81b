"""The WeCom chat archive (会话存档) export: a few messages a week per salesperson with
customers, and the diverter's talk with the rival's sales manager once he starts diverting."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from companies.second.book import Book
from companies.second.cast import Person
from companies.second.field import DIVERTING_FROM
from companies.second.workdays import WORKDAYS, minutes

RIVAL_CONTACT = "锦城工控-周经理"
TO_RIVAL = (
    "这周{c}的单子你们那边报价低两个点，我去谈",
    "{c}的采购已经同意下个月起从你们那边走",
    "提成按上次说的算，别走公司账",
    "明天中午还是老地方见",
)
FROM_RIVAL = ("报价单发你邮箱了", "好的，{c}的合同我们法务今天出", "收到，周五前给你结")
TO_CUSTOMER = ("您好，这周方便过来拜访吗？", "报价已发，请查收", "样品明天送到", "发票已开")
FROM_CUSTOMER = ("可以，周三上午", "收到，谢谢", "价格还能再谈吗？", "好的")


@dataclass(frozen=True)
class Message:
    person: str
    at: datetime
    counterpart: str
    outgoing: bool
    content: str


def build_chats(rng: random.Random, people: list[Person], book: Book) -> list[Message]:
    messages: list[Message] = []
    sales = [p for p in people if p.role == "sales"]
    for p in sales:
        for day in WORKDAYS:
            if day < p.hire or rng.random() > 0.35:
                continue
            held = book.held_by(p.no, day)
            if not held:
                continue
            customer = book.customers[rng.choice(held)]
            who = f"{customer.name.short()}-采购"
            at = minutes(day, rng.uniform(9 * 60, 17 * 60))
            messages.append(Message(p.no, at, who, True, rng.choice(TO_CUSTOMER)))
            later = at + timedelta(minutes=rng.uniform(2, 40))
            messages.append(Message(p.no, later, who, False, rng.choice(FROM_CUSTOMER)))
            if p.part == "diverter" and day >= DIVERTING_FROM and rng.random() < 0.6:
                c = customer.name.short()
                night = minutes(day, rng.uniform(19 * 60, 22 * 60))
                text = rng.choice(TO_RIVAL).format(c=c)
                messages.append(Message(p.no, night, RIVAL_CONTACT, True, text))
                reply = rng.choice(FROM_RIVAL).format(c=c)
                messages.append(
                    Message(p.no, night + timedelta(minutes=3), RIVAL_CONTACT, False, reply)
                )
    return sorted(messages, key=lambda m: (m.at, m.person))

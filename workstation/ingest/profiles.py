"""What each generic import kind expects: its fields, their English and Chinese headers, and
the words sources use for statuses and kinds.

Headers are matched by name, never by position, after normalising (NFKC, case-folded,
spaces, underscores and hyphens removed), so ``Employee No``, ``employee_no``, ``工号`` and
``工 号`` all find the same field.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from workstation.domain.enums import CheckinKind, CustomerEventKind, CustomerStatus, OrderStatus


class ValueType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    DATETIME = "datetime"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    headers: tuple[str, ...]
    type: ValueType = ValueType.TEXT
    required: bool = False


@dataclass(frozen=True)
class ImportKind:
    name: str
    fields: tuple[FieldSpec, ...]

    def field(self, name: str) -> FieldSpec:
        return next(f for f in self.fields if f.name == name)


def _f(name: str, zh: str, type_: ValueType = ValueType.TEXT, *, req: bool = False) -> FieldSpec:
    extra = tuple(h.strip() for h in zh.split("|"))
    return FieldSpec(name, (name, *extra), type_, req)


T, N, D, DT = ValueType.TEXT, ValueType.NUMBER, ValueType.DATE, ValueType.DATETIME

KINDS: dict[str, ImportKind] = {
    k.name: k
    for k in (
        ImportKind(
            "employees",
            (
                _f("employee_no", "工号|员工编号", req=True),
                _f("name", "姓名", req=True),
                _f("department", "部门"),
                _f("title", "职位|岗位"),
                _f("manager_no", "上级工号|直属上级工号"),
                _f("hire_date", "入职日期", D),
                _f("leave_date", "离职日期", D),
                _f("wecom_userid", "企业微信账号|企业微信userid"),
                _f("dingtalk_userid", "钉钉UserId|钉钉userid"),
                _f("phone", "手机号|手机号码"),
                _f("office", "办公地点"),
            ),
        ),
        ImportKind(
            "customers",
            (
                _f("customer_code", "客户编号|客户编码", req=True),
                _f("name", "客户名称", req=True),
                _f("city", "城市|所在城市"),
                _f("industry", "行业|所属行业"),
                _f("address", "地址"),
                _f("lat", "纬度", N),
                _f("lon", "经度", N),
                _f("owner_no", "负责人工号"),
                _f("radius_m", "围栏半径", N),
                _f("owner_since", "负责人开始日期|分配日期", D),
                _f("status", "客户状态"),
            ),
        ),
        ImportKind(
            "ownership",
            (
                _f("customer_code", "客户编号|客户编码", req=True),
                _f("owner_no", "负责人工号|工号", req=True),
                _f("start_date", "开始日期|分配日期|from", D),
                _f("end_date", "结束日期|to", D),
            ),
        ),
        ImportKind(
            "competitors",
            (
                _f("competitor", "竞争对手", req=True),
                _f("site", "网点", req=True),
                _f("address", "地址"),
                _f("lat", "纬度", N, req=True),
                _f("lon", "经度", N, req=True),
                _f("radius_m", "半径", N),
                _f("city", "城市"),
            ),
        ),
        ImportKind(
            "offices",
            (
                _f("office", "办公地点", req=True),
                _f("address", "地址"),
                _f("lat", "纬度", N, req=True),
                _f("lon", "经度", N, req=True),
                _f("radius_m", "半径", N),
                _f("city", "城市"),
            ),
        ),
        ImportKind(
            "checkins",
            (
                # Not required: an attendance record may name the person by account instead.
                _f("employee_no", "工号"),
                _f("time", "打卡时间", DT, req=True),
                _f("lat", "纬度", N),
                _f("lon", "经度", N),
                _f("accuracy_m", "精度", N),
                _f("kind", "类型", req=True),
                _f("customer_code", "客户编号"),
                _f("customer_name", "客户名称|拜访客户"),
                _f("address", "地址"),
                _f("note", "备注"),
                # Whose punch it is when no account or 工号 names a known employee.
                _f("name", "姓名"),
                _f("department", "部门"),
                _f("wecom_userid", "企业微信账号|企业微信userid"),
                _f("dingtalk_userid", "钉钉UserId|钉钉userid"),
                _f("source_result", "打卡结果"),
                _f("photo_ref", "打卡图片1|打卡图片"),
                _f("mock_location", "模拟定位|虚拟定位"),
            ),
        ),
        ImportKind(
            "tracks",
            (
                _f("employee_no", "工号", req=True),
                _f("time", "时间", DT, req=True),
                _f("lat", "纬度", N, req=True),
                _f("lon", "经度", N, req=True),
                _f("accuracy_m", "精度", N),
                _f("speed_mps", "速度", N),
            ),
        ),
        ImportKind(
            "orders",
            (
                _f("order_no", "订单号", req=True),
                _f("customer_code", "客户编号", req=True),
                _f("employee_no", "工号", req=True),
                _f("order_date", "下单日期", D, req=True),
                _f("amount", "金额", N, req=True),
                _f("status", "状态", req=True),
                _f("competitor", "竞争对手"),
            ),
        ),
        ImportKind(
            "leads",
            (
                _f("lead_id", "线索编号", req=True),
                _f("customer_code", "客户编号"),
                _f("employee_no", "工号", req=True),
                _f("created", "创建日期", D, req=True),
                _f("converted_order_no", "成交订单号"),
            ),
        ),
        ImportKind(
            "customer_events",
            (
                _f("customer_code", "客户编号", req=True),
                _f("date", "日期", D, req=True),
                _f("event", "事件", req=True),
                _f("competitor", "竞争对手"),
                _f("new_owner_no", "新负责人工号"),
                _f("reason", "原因"),
                _f("previous_owner_no", "原负责人工号"),
            ),
        ),
        ImportKind(
            "communications",
            (
                _f("employee_no", "工号", req=True),
                _f("time", "时间", DT, req=True),
                _f("channel", "渠道", req=True),
                _f("counterpart", "对方", req=True),
                _f("direction", "方向"),
                _f("content", "内容"),
                _f("attachment", "附件|录音"),
            ),
        ),
    )
}


def normalise_header(text: str) -> str:
    """Comparable form of a header: NFKC, case-folded, without spaces, ``_`` and ``-``."""
    folded = unicodedata.normalize("NFKC", text).replace("\ufeff", "").casefold()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "_-")


@dataclass(frozen=True)
class HeaderMapping:
    """Which source column feeds each field, and what did not match."""

    columns: dict[str, str] = field(default_factory=dict)
    unknown_headers: tuple[str, ...] = ()
    missing_required: tuple[str, ...] = ()
    duplicated: tuple[str, ...] = ()

    @property
    def usable(self) -> bool:
        return not self.missing_required and not self.duplicated


class MappingError(ValueError):
    """A chosen column mapping does not fit the kind or the file."""


def check_chosen_columns(kind: ImportKind, chosen: Mapping[str, str]) -> None:
    """Refuse choices naming fields the kind does not have, or one column for two fields."""
    names = {f.name for f in kind.fields}
    unknown = sorted(set(chosen) - names)
    if unknown:
        raise MappingError(
            f"{kind.name} has no field {', '.join(unknown)}; its fields are {', '.join(names)}"
        )
    used = [c for c in chosen.values() if c]
    twice = sorted({c for c in used if used.count(c) > 1})
    if twice:
        raise MappingError(f"the column {', '.join(twice)} is chosen for more than one field")


def map_headers(
    kind: ImportKind, headers: Iterable[str], chosen: Mapping[str, str] | None = None
) -> HeaderMapping:
    """Which column feeds each field: the user's ``chosen`` columns (field → column; "" for
    none) first, then the kind's English and Chinese header names for the rest."""
    headers = list(headers)
    chosen = dict(chosen or {})
    check_chosen_columns(kind, chosen)
    absent = sorted(c for c in chosen.values() if c and c not in headers)
    if absent:
        raise MappingError(
            f"the chosen column {', '.join(absent)} is not in the file "
            f"(its columns: {', '.join(headers)})"
        )
    lookup = {normalise_header(h): spec.name for spec in kind.fields for h in spec.headers}
    columns: dict[str, str] = {name: col for name, col in chosen.items() if col}
    taken = set(columns.values())
    unknown: list[str] = []
    duplicated: list[str] = []
    for header in headers:
        if header in taken:
            continue
        name = lookup.get(normalise_header(header))
        if name is None or name in chosen:
            unknown.append(header)
        elif name in columns:
            duplicated.append(name)
        else:
            columns[name] = header
    missing = tuple(f.name for f in kind.fields if f.required and f.name not in columns)
    ordered = {f.name: columns[f.name] for f in kind.fields if f.name in columns}
    return HeaderMapping(ordered, tuple(unknown), missing, tuple(duplicated))


def _vocabulary(pairs: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {normalise_header(word): value for value, words in pairs.items() for word in words}


ORDER_STATUS_WORDS = _vocabulary(
    {
        OrderStatus.OPEN: ("open", "pending", "进行中", "待处理", "未完成", "新建"),
        OrderStatus.COMPLETED: ("completed", "complete", "done", "已完成", "完成", "已成交"),
        OrderStatus.CANCELLED: ("cancelled", "canceled", "已取消", "取消", "作废"),
        OrderStatus.TRANSFERRED: ("transferred", "转单", "已转单", "转竞品"),
    }
)
CHECKIN_KIND_WORDS = _vocabulary(
    {
        CheckinKind.ON_DUTY: ("on_duty", "onduty", "上班", "上班打卡"),
        CheckinKind.OFF_DUTY: ("off_duty", "offduty", "下班", "下班打卡"),
        CheckinKind.FIELD: ("field", "外勤", "外出", "外出打卡", "外勤打卡"),
    }
)
CUSTOMER_EVENT_WORDS = _vocabulary(
    {
        CustomerEventKind.LOST: ("lost", "流失"),
        CustomerEventKind.WON: ("won", "赢得", "新签"),
        CustomerEventKind.TRANSFERRED: ("transferred", "转竞品", "转至竞品"),
        CustomerEventKind.REASSIGNED: ("reassigned", "转交", "改派"),
    }
)

CUSTOMER_STATUS_WORDS = _vocabulary(
    {
        CustomerStatus.ACTIVE: ("active", "normal", "正常", "活跃", "有效", "合作中"),
        CustomerStatus.LOST: ("lost", "churned", "流失", "已流失"),
        CustomerStatus.TRANSFERRED: ("transferred", "已转竞品", "转竞品", "转至竞品"),
    }
)


def lookup_word(vocabulary: dict[str, str], text: str) -> str | None:
    """The fixed value a source word stands for (``已完成`` → ``completed``), or None."""
    return vocabulary.get(normalise_header(text))

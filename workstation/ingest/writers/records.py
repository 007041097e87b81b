"""Communication records (chats, calls, mails) by employee, time, channel and counterpart.

Channels and directions are read from the words sources use (``企业微信``, ``呼入``...). An
empty direction is taken as outgoing ("out"): the store needs one, and exports that leave it
out list what the employee sent.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from workstation.domain.enums import CommChannel, CommDirection
from workstation.ingest.model import ParsedRow, RowProblem
from workstation.ingest.profiles import lookup_word, normalise_header
from workstation.ingest.writers.base import WriteContext, WriteOutcome
from workstation.ingest.writers.places import repeated, same, update
from workstation.store.models import Communication

#: Direction of a row whose direction cell is empty.
DEFAULT_DIRECTION = CommDirection.OUTBOUND.value


def _words(pairs: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {normalise_header(word): value for value, words in pairs.items() for word in words}


CHANNEL_WORDS = _words(
    {
        CommChannel.WECOM: ("wecom", "企业微信", "企微", "wework"),
        CommChannel.DINGTALK: ("dingtalk", "钉钉"),
        CommChannel.WECHAT: ("wechat", "微信", "weixin"),
        CommChannel.PHONE: ("phone", "电话", "通话", "call", "telephone"),
        CommChannel.EMAIL: ("email", "e-mail", "mail", "邮件", "电子邮件"),
        CommChannel.SMS: ("sms", "短信", "text message"),
    }
)
DIRECTION_WORDS = _words(
    {
        CommDirection.INBOUND: ("in", "inbound", "入", "呼入", "收", "接收", "来电"),
        CommDirection.OUTBOUND: ("out", "outbound", "出", "呼出", "发", "发送", "去电"),
    }
)

CommKey = tuple[int, datetime, str, str]


def _word(row: ParsedRow, field: str, words: dict[str, str], what: str) -> str | RowProblem:
    text = str(row.values[field])
    value = lookup_word(words, text)
    if value is None:
        known = ", ".join(sorted(set(words.values())))
        return row.problem(field, f"unknown {what} {text!r}; use one of: {known}")
    return value


def _stored(ctx: WriteContext, rows: list[ParsedRow]) -> dict[CommKey, Communication]:
    """Stored records of the file's employees within the file's time span, by key."""
    ids = {i for r in rows if (i := ctx.employee_id(str(r.values["employee_no"]))) is not None}
    if not ids:
        return {}
    times = [r.values["time"] for r in rows]
    query = select(Communication).where(
        Communication.employee_id.in_(ids),
        Communication.sent_at >= min(times),
        Communication.sent_at <= max(times),
    )
    return {
        (c.employee_id, c.sent_at.astimezone(UTC), c.channel, c.counterpart): c
        for c in ctx.session.scalars(query)
    }


def write_communications(ctx: WriteContext, rows: list[ParsedRow]) -> WriteOutcome:
    outcome = WriteOutcome()
    session = ctx.session
    existing = _stored(ctx, rows)
    first_row: dict[CommKey, int] = {}
    for row in rows:
        number = str(row.values["employee_no"])
        employee_id = ctx.employee_id(number)
        channel = _word(row, "channel", CHANNEL_WORDS, "channel")
        direction: str | RowProblem = (
            _word(row, "direction", DIRECTION_WORDS, "direction")
            if row.values.get("direction") is not None
            else DEFAULT_DIRECTION
        )
        problem = (
            (
                row.problem("employee_no", f"unknown employee {number}; import employees first")
                if employee_id is None
                else None
            )
            or (channel if isinstance(channel, RowProblem) else None)
            or (direction if isinstance(direction, RowProblem) else None)
        )
        if problem is not None or employee_id is None or not isinstance(channel, str):
            if problem is not None:  # otherwise unreachable: both are checked above
                outcome.problems.append(problem)
            continue
        sent_at: datetime = row.values["time"].astimezone(UTC)
        counterpart = str(row.values["counterpart"])
        key: CommKey = (employee_id, sent_at, channel, counterpart)
        problem = repeated(row, key, first_row, "time", "the same message")
        if problem:
            outcome.problems.append(problem)
            continue
        given: dict[str, Any] = {"direction": direction}
        if row.values.get("content") is not None:
            given["content"] = row.values["content"]
        attachment = ctx.attach(row.values.get("attachment"))
        if attachment is not None:
            given["attachment_evidence_id"] = attachment
        record = existing.get(key)
        if record is None:
            record = Communication(
                employee_id=employee_id,
                sent_at=sent_at,
                channel=channel,
                counterpart=counterpart,
                batch_id=ctx.batch_id,
                source_row=row.row,
                **given,
            )
            session.add(record)
            existing[key] = record
        elif same(record, given):
            outcome.duplicates += 1
            continue
        else:
            update(ctx, record, given, row)
        outcome.accepted += 1
    session.flush()
    return outcome

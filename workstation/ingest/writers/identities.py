"""Whose attendance record a row is: the employee its account, 工号 or name names.

Attendance apps name a person by their own account (WeCom ``userid``, DingTalk ``UserId``);
rosters often have no account column because the company set the account to the employee
number. A row's person is found, in this order:

1. ``account``: the roster's account column (``wecom_userid`` / ``dingtalk_userid``) holds the
   row's account;
2. ``account_is_employee_no``: an employee's number equals the account (and that employee has
   no other account of that app on record);
3. ``employee_no``: the row's own 工号 column;
4. ``name_in_department``: nothing above names anyone, and the row's 姓名 is the name of
   exactly one employee of its 部门 (compared without spaces and case; a department written as
   a path, ``公司/销售部``, also matches by its last part).

Identifiers that name two different employees refuse the row; so does a name shared by two
people of the department. The way each row was resolved is counted (``identity.<way>``) for
the import report.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from workstation.ingest.model import ParsedRow, RowProblem
from workstation.ingest.writers.base import WriteContext
from workstation.store.models import Employee

ACCOUNT = "account"
ACCOUNT_IS_EMPLOYEE_NO = "account_is_employee_no"
EMPLOYEE_NO = "employee_no"
NAME_IN_DEPARTMENT = "name_in_department"
#: The ways, in the order they are tried (and shown).
WAYS = (ACCOUNT, ACCOUNT_IS_EMPLOYEE_NO, EMPLOYEE_NO, NAME_IN_DEPARTMENT)
_PATH = re.compile(r"[/／>＞\\]")


def _plain(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(ch for ch in text if not ch.isspace())


def _departments(text: str | None) -> set[str]:
    """The department as written and, for a path, its last part."""
    whole = _plain(text)
    last = _PATH.split(whole)[-1] if whole else ""
    return {d for d in (whole, last) if d}


@dataclass
class Identities:
    """Employees by account, number, and name within department (loaded once per file)."""

    wecom: dict[str, int]
    dingtalk: dict[str, int]
    #: employee id → (WeCom account, DingTalk UserId) on record.
    accounts_of: dict[int, tuple[str | None, str | None]]
    by_name: dict[tuple[str, str], set[int]]

    @classmethod
    def load(cls, ctx: WriteContext) -> Identities:
        wecom: dict[str, int] = {}
        dingtalk: dict[str, int] = {}
        accounts_of: dict[int, tuple[str | None, str | None]] = {}
        by_name: dict[tuple[str, str], set[int]] = defaultdict(set)
        query = select(
            Employee.id,
            Employee.name,
            Employee.department,
            Employee.wecom_userid,
            Employee.dingtalk_userid,
        )
        for employee_id, name, department, wecom_userid, dingtalk_userid in ctx.session.execute(
            query
        ):
            if wecom_userid:
                wecom[wecom_userid] = employee_id
            if dingtalk_userid:
                dingtalk[dingtalk_userid] = employee_id
            accounts_of[employee_id] = (wecom_userid, dingtalk_userid)
            for dept in _departments(department):
                by_name[(_plain(name), dept)].add(employee_id)
        return cls(wecom, dingtalk, accounts_of, dict(by_name))

    def _by_account(
        self, ctx: WriteContext, app: int, account: str
    ) -> tuple[int | None, str | None]:
        table = self.wecom if app == 0 else self.dingtalk
        if account in table:
            return table[account], ACCOUNT
        employee_id = ctx.employee_id(account)
        if employee_id is not None and not self.accounts_of.get(employee_id, (None, None))[app]:
            return employee_id, ACCOUNT_IS_EMPLOYEE_NO
        return None, None

    def _by_name(self, name: str, department: str) -> set[int]:
        found: set[int] = set()
        for dept in _departments(department):
            found |= self.by_name.get((_plain(name), dept), set())
        return found

    def resolve(
        self, ctx: WriteContext, row: ParsedRow
    ) -> tuple[int | None, str | None, RowProblem | None]:
        """The employee a row names and the way found, or why not (see the module rules)."""
        wecom = row.values.get("wecom_userid")
        dingtalk = row.values.get("dingtalk_userid")
        number = row.values.get("employee_no")
        found: list[tuple[str, object, int | None, str | None]] = []
        for app, name, value in ((0, "wecom_userid", wecom), (1, "dingtalk_userid", dingtalk)):
            if value:
                found.append((name, value, *self._by_account(ctx, app, str(value))))
        if number:
            employee_id = ctx.employee_id(str(number))
            found.append(("employee_no", number, employee_id, EMPLOYEE_NO if employee_id else None))
        matched = {employee_id for _, _, employee_id, _ in found if employee_id is not None}
        if len(matched) > 1:
            shown = ", ".join(f"{name} {value}" for name, value, _, _ in found)
            return None, None, row.problem(found[0][0], f"{shown} name different employees")
        if matched:
            way = next(w for _, _, employee_id, w in found if employee_id is not None)
            return matched.pop(), way, None
        person, department = row.values.get("name"), row.values.get("department")
        if person and department:
            named = self._by_name(str(person), str(department))
            if len(named) == 1:
                return named.pop(), NAME_IN_DEPARTMENT, None
            if len(named) > 1:
                return (
                    None,
                    None,
                    row.problem(
                        "name",
                        f"{len(named)} employees of department {department} are called "
                        f"{person}; give their WeCom account, DingTalk UserId or 工号",
                    ),
                )
        return None, None, _unknown(row, wecom, dingtalk, number)


def _unknown(row: ParsedRow, wecom: object, dingtalk: object, number: object) -> RowProblem:
    if wecom:
        return row.problem(
            "wecom_userid",
            f"no employee with WeCom account {wecom} (neither an employee's wecom_userid nor "
            "employee number; import employees with their wecom_userid first)",
        )
    if dingtalk:
        return row.problem(
            "dingtalk_userid",
            f"no employee with DingTalk UserId {dingtalk} (neither an employee's "
            "dingtalk_userid nor employee number; import employees with their dingtalk_userid "
            "first)",
        )
    if number:
        return row.problem("employee_no", f"unknown employee {number}")
    return row.problem(
        "employee_no", "no employee_no, wecom_userid or dingtalk_userid to say whose punch it is"
    )

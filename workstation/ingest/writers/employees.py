"""Employees by employee number: new ones added, changed ones updated, the same ones skipped.

Every value changed on a stored employee (name, department, title, dates, accounts, phone,
manager) is kept as history; a file renaming more than a tenth of them asks for confirmation
first (:mod:`workstation.ingest.writers.history`). The office (办公地点) is the stored office of
that name; a name no stored office has leaves the employee's office as it is (import the
offices first).

A manager (上级工号) the store does not hold and the file does not bring does not refuse the
row (the employee stands on their own): the number is kept as text (``manager_ref``) with a
warning, and the roster that brings the manager links them. Rejected: a row given twice, a
leave date before the hire date, an account of someone else, an employee managing himself.

Customer lists, assignment histories and events that named an employee before the roster
brought them are resolved then: the events get their new owner, and those customers' ownership
periods are derived again; employees waiting for them as their manager get the link
(:mod:`workstation.ingest.writers.references`).
"""

from __future__ import annotations

from sqlalchemy import select

from workstation.ingest.model import FieldChange, ParsedRow
from workstation.ingest.writers.base import WriteContext, WriteOutcome
from workstation.ingest.writers.history import add_history, check_name_changes, record_changes
from workstation.ingest.writers.references import kept, resolve_employees
from workstation.store.models import Employee, Office

FIELDS = (
    "name",
    "department",
    "title",
    "hire_date",
    "leave_date",
    "wecom_userid",
    "dingtalk_userid",
    "phone",
)
ACCOUNT_FIELDS = ("wecom_userid", "dingtalk_userid")
ENTITY = "employee"


def write_employees(ctx: WriteContext, rows: list[ParsedRow]) -> WriteOutcome:
    outcome = WriteOutcome()
    session = ctx.session
    existing = {e.employee_no: e for e in session.scalars(select(Employee))}
    offices = {name: id_ for name, id_ in session.execute(select(Office.name, Office.id))}
    accounts = {
        (name, getattr(e, name)): e.employee_no
        for e in existing.values()
        for name in ACCOUNT_FIELDS
        if getattr(e, name)
    }
    first_row: dict[str, int] = {}
    good: list[ParsedRow] = []
    for row in rows:
        number = str(row.values["employee_no"])
        if number in first_row:
            outcome.problems.append(
                row.problem("employee_no", f"{number} already given on row {first_row[number]}")
            )
            continue
        hire, leave = row.values.get("hire_date"), row.values.get("leave_date")
        if hire and leave and leave < hire:
            outcome.problems.append(row.problem("leave_date", "leave date is before hire date"))
            continue
        clash = next(
            (
                (name, owner)
                for name in ACCOUNT_FIELDS
                if row.values.get(name)
                and (owner := accounts.get((name, row.values[name]))) not in (None, number)
            ),
            None,
        )
        if clash:
            outcome.problems.append(
                row.problem(clash[0], f"{row.values[clash[0]]} already belongs to {clash[1]}")
            )
            continue
        for name in ACCOUNT_FIELDS:
            if row.values.get(name):
                accounts[(name, row.values[name])] = number
        first_row[number] = row.row
        good.append(row)

    for row in list(good):
        if row.values.get("manager_no") == row.values["employee_no"]:
            outcome.problems.append(row.problem("manager_no", "an employee cannot manage himself"))
            good.remove(row)
    arriving = {str(r.values["employee_no"]) for r in good} - set(existing)
    stored = len(existing)
    before = set(existing)
    number_of = {e.id: no for no, e in existing.items()}
    changes: list[FieldChange] = []
    for row in good:
        number = str(row.values["employee_no"])
        given = {name: row.values[name] for name in FIELDS if row.values.get(name) is not None}
        office = offices.get(str(row.values.get("office")))
        if office is not None:
            given["office_id"] = office
        employee = existing.get(number)
        if employee is None:
            employee = Employee(
                employee_no=number, batch_id=ctx.batch_id, source_row=row.row, **given
            )
            session.add(employee)
            existing[number] = employee
            outcome.accepted += 1
        elif all(getattr(employee, k) == v for k, v in given.items()) and not _manager_changes(
            employee, row, existing, arriving
        ):
            outcome.duplicates += 1
            continue
        else:
            changes += record_changes(ctx, ENTITY, employee, number, given, row.row, FIELDS)
            for key, value in given.items():
                setattr(employee, key, value)
            employee.batch_id, employee.source_row = ctx.batch_id, row.row
            outcome.accepted += 1
    session.flush()
    for row in good:
        manager = str(row.values["manager_no"]) if row.values.get("manager_no") else None
        if manager is None:
            continue
        employee = existing[str(row.values["employee_no"])]
        target = existing.get(manager)
        if target is None:
            outcome.warnings.append(kept(row, "manager_no", "employee", manager))
        manager_id = target.id if target is not None else None
        was = number_of.get(employee.manager_id) if employee.manager_id else employee.manager_ref
        if employee.id in number_of and (employee.manager_id != manager_id or was != manager):
            change = FieldChange(
                ENTITY, number_of[employee.id], "manager_no", was, manager, row.row
            )
            add_history(ctx, employee.id, [change])
            changes.append(change)
        employee.manager_id, employee.manager_ref = manager_id, manager
    check_name_changes(ctx, ENTITY, changes, stored)
    outcome.changes = sorted(changes, key=lambda c: (c.row, c.field))
    for number, employee in existing.items():
        ctx.remember_employee(number, employee.id)
    # ownership statements and events that named these employees before they were imported
    outcome.warnings += resolve_employees(ctx, set(existing) - before)
    return outcome


def _manager_changes(
    employee: Employee, row: ParsedRow, existing: dict[str, Employee], arriving: set[str]
) -> bool:
    """Whether the row gives ``employee`` another manager (or links the one they wait for)."""
    manager = row.values.get("manager_no")
    if manager is None:
        return False
    if str(manager) in arriving:
        return True  # the manager comes with this file: a new link
    target = existing.get(str(manager))
    if target is None:
        return employee.manager_id is not None or employee.manager_ref != str(manager)
    return employee.manager_id != target.id

"""The demo company written as the files its HR department holds, in the order they are
imported, with ``manifest.json`` (what each file is and the ``workstation import`` command that
takes it) and ``scenarios.json`` (the answer key).

Writing is split into steps (one per source, one per salesperson's track) so the caller can
report progress and stop between them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from workstation.demo import files_attendance, files_chats, files_master, files_sales
from workstation.demo.files_tracks import last_full_week, write_person_tracks
from workstation.demo.generate import Generated
from workstation.demo.places import CITIES
from workstation.demo.source_files import SourceFile

MANIFEST = "manifest.json"
ANSWER_KEY = "scenarios.json"


@dataclass(frozen=True)
class WriteStep:
    message: str
    write: Callable[[], list[SourceFile]]


def _one(write: Callable[[Path, Any], SourceFile], folder: Path, *args: Any) -> list[SourceFile]:
    return [write(folder, *args)]


def write_steps(folder: Path, gen: Generated) -> list[WriteStep]:
    """The steps that write every file into ``folder``, in import order."""
    world, cast = gen.world, gen.cast
    logger_week = set(last_full_week(world.end_date))

    def step(message: str, write: Callable[..., SourceFile], *args: Any) -> WriteStep:
        return WriteStep(message, partial(_one, write, folder, world, *args))

    steps = [
        step("Writing the offices", files_master.offices),
        step("Writing the HR roster", files_master.roster),
        step("Writing the competitor list", files_master.competitors),
        step("Writing the CRM customer master", files_master.customer_master),
        step("Writing the CRM customer events", files_sales.customer_events),
        step("Writing the CRM orders", files_sales.orders),
        step("Writing the CRM leads", files_sales.leads),
        step("Writing the CRM visit plans", files_sales.visit_plan),
    ]
    for city in CITIES:
        if city.attendance_app == "wecom":
            message = f"Writing WeCom check-ins of {city.name}"
            steps.append(step(message, files_attendance.wecom, city))
    for city in CITIES:
        if city.attendance_app == "dingtalk":
            steps.append(
                step(f"Writing DingTalk check-ins of {city.name}", files_attendance.dingtalk, city)
            )
    sales = world.salespeople
    for i, person in enumerate(sales, start=1):
        days = logger_week if person is cast.commuter else set()
        steps.append(
            WriteStep(
                f"Writing GPS tracks ({i}/{len(sales)}): {person.name}",
                partial(write_person_tracks, folder, gen, person, days),
            )
        )
    steps += [
        step("Writing the WeCom chat archive", files_chats.chat_archive),
        step("Writing the call records", files_chats.call_records),
    ]
    return steps


def write_manifest(folder: Path, files: list[SourceFile], scenarios: list[dict[str, Any]]) -> None:
    """``manifest.json`` (the files in import order) and ``scenarios.json`` (the answer key)."""
    manifest = {
        "about": (
            "The demo company's files, in the order `workstation demo` imports them. Run each "
            "`command` in this folder to import them yourself (a customer list as of the day it "
            "shows: `as_of`). Files with `waits_for` are written in their real layout for an "
            "import kind still to come."
        ),
        "files": [f.to_json_dict() for f in files],
    }
    (folder / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (folder / ANSWER_KEY).write_text(
        json.dumps(scenarios, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def read_manifest(folder: Path) -> list[dict[str, Any]]:
    """The manifest's file entries (empty when the folder has none)."""
    path = folder / MANIFEST
    if not path.is_file():
        return []
    entries: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["files"]
    return entries

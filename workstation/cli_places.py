"""``workstation places``: the allow-listed places where stops never count as at a competitor.

::

    workstation places list [--json]
    workstation places allow NAME --lat LAT --lon LON [--kind K] [--radius M]
                             [--employee NO] [--crs wgs84|gcj02|bd09] [--note TEXT]
    workstation places remove ID
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import Any

from workstation.domain.enums import CoordSystem, PlaceKind


def add_places_command(sub: Any) -> None:
    places = sub.add_parser("places", help="allow-listed places (shared towers, hubs, homes)")
    actions = places.add_subparsers(dest="places_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the allowed places")
    listing.add_argument("--json", action="store_true")
    allow = actions.add_parser("allow", help="allow a place: stops there never count")
    allow.add_argument("name")
    allow.add_argument("--lat", type=float, required=True)
    allow.add_argument("--lon", type=float, required=True)
    allow.add_argument("--kind", choices=[k.value for k in PlaceKind], default="shared_tower")
    allow.add_argument("--radius", type=float, default=200.0, help="metres (default 200)")
    allow.add_argument("--employee", metavar="NO", help="only for this employee (a home)")
    allow.add_argument("--crs", choices=["wgs84", "gcj02", "bd09"], default="wgs84")
    allow.add_argument("--note")
    remove = actions.add_parser("remove", help="remove an allowed place")
    remove.add_argument("id", type=int)


def run_places(app: Any, args: argparse.Namespace) -> str:
    """The text to print; raises PlaceRefused for what the user can fix."""
    service = app.allowed_places
    if args.places_command == "allow":
        place = service.add(
            args.name,
            args.kind,
            args.lat,
            args.lon,
            radius_m=args.radius,
            employee_no=args.employee,
            note=args.note,
            crs=CoordSystem(args.crs.upper()),
        )
        return f"allowed #{place.id} {place.name} ({place.kind.value}, {place.radius_m:g} m)"
    if args.places_command == "remove":
        service.remove(args.id)
        return f"removed allowed place #{args.id}"
    places = service.list_places()
    if args.json:
        return json.dumps([asdict(p) for p in places], ensure_ascii=False)
    if not places:
        return "no allowed places"
    return "\n".join(
        f"#{p.id} {p.name}  {p.kind.value}  {p.lat:.6f},{p.lon:.6f}  {p.radius_m:g} m"
        + (f"  employee {p.employee_no}" if p.employee_no else "")
        for p in places
    )


__all__ = ["add_places_command", "run_places"]

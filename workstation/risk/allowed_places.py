"""Allow-listed places: a tower shared with a competitor, a logistics hub, an employee's
home. A stop there never counts as "at a competitor" (for everyone, or for one employee).

Adding or removing a place makes the stops of the days computed before stale: the next
evaluation recomputes them (the stops' fingerprint covers every place).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from workstation.domain.clock import Clock
from workstation.domain.enums import CoordSystem, PlaceKind
from workstation.security.access import Acting
from workstation.security.permissions import Permission
from workstation.store.audit import append_audit
from workstation.store.models import AllowedPlace, Employee
from workstation.store.uow import UnitOfWorkFactory


class PlaceRefused(ValueError):
    pass


@dataclass(frozen=True)
class AllowedPlaceView:
    id: int
    name: str
    kind: PlaceKind
    lat: float
    lon: float
    radius_m: float
    employee_no: str | None
    note: str | None
    created_by: str | None


class AllowedPlaceService:
    def __init__(self, uow: UnitOfWorkFactory, acting: Acting, clock: Clock) -> None:
        self._uow = uow
        self._acting = acting
        self._actor = acting.actor
        self._clock = clock

    def add(
        self,
        name: str,
        kind: PlaceKind | str,
        lat: float,
        lon: float,
        *,
        radius_m: float = 200.0,
        employee_no: str | None = None,
        note: str | None = None,
        crs: CoordSystem = CoordSystem.WGS84,
    ) -> AllowedPlaceView:
        """Allow a place (coordinates in ``crs``, stored as WGS-84). A home needs the
        employee it belongs to."""
        self._acting.require(Permission.POLICY_EDIT)
        name = name.strip()
        try:
            kind = PlaceKind(kind)
        except ValueError:
            raise PlaceRefused(
                f"unknown kind {kind!r}; use one of {', '.join(k.value for k in PlaceKind)}"
            ) from None
        if not name:
            raise PlaceRefused("give the place a name")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise PlaceRefused(f"({lat}, {lon}) is not a position")
        if not 10 <= radius_m <= 2000:
            raise PlaceRefused("the radius is between 10 and 2,000 m")
        if kind is PlaceKind.HOME and not employee_no:
            raise PlaceRefused("a home belongs to one employee: give the employee number")
        from workstation.geo.coords import convert  # numpy: loads when a place is added

        wlat, wlon = convert(lat, lon, crs.value, CoordSystem.WGS84.value)
        actor = self._actor()
        with self._uow() as uow:
            session = uow.session
            employee_id = None
            if employee_no:
                employee_id = session.scalar(
                    select(Employee.id).where(Employee.employee_no == employee_no)
                )
                if employee_id is None:
                    raise PlaceRefused(f"no employee {employee_no}")
            place = AllowedPlace(
                name=name,
                kind=kind.value,
                lat=wlat,
                lon=wlon,
                radius_m=radius_m,
                employee_id=employee_id,
                note=note,
                created_at=self._clock.now(),
                created_by=actor,
            )
            session.add(place)
            session.flush()
            append_audit(
                session,
                actor,
                "place.allowed",
                "allowed_place",
                place.id,
                {"name": name, "kind": kind.value, "employee": employee_no, "radius_m": radius_m},
            )
            uow.commit()
            return _view(place, employee_no)

    def list_places(self) -> list[AllowedPlaceView]:
        self._acting.require(Permission.POLICY_VIEW)
        with self._uow() as uow:
            rows = uow.session.execute(
                select(AllowedPlace, Employee.employee_no)
                .outerjoin(Employee, Employee.id == AllowedPlace.employee_id)
                .order_by(AllowedPlace.id)
            ).all()
            return [_view(place, number) for place, number in rows]

    def remove(self, place_id: int) -> None:
        self._acting.require(Permission.POLICY_EDIT)
        actor = self._actor()
        with self._uow() as uow:
            session = uow.session
            place = session.get(AllowedPlace, place_id)
            if place is None:
                raise PlaceRefused(f"no allowed place #{place_id}")
            append_audit(
                session, actor, "place.removed", "allowed_place", place_id, {"name": place.name}
            )
            session.delete(place)
            uow.commit()


def _view(place: AllowedPlace, employee_no: str | None) -> AllowedPlaceView:
    return AllowedPlaceView(
        place.id,
        place.name,
        PlaceKind(place.kind),
        place.lat,
        place.lon,
        place.radius_m,
        employee_no,
        place.note,
        place.created_by,
    )

"""Draw an :class:`EmployeeMapData` as a self-contained, fully offline Leaflet page (folium).

Offline: the only scripts and style sheets are the local Leaflet and jQuery files under
``resources/leaflet`` (``file://`` URLs; the page is loaded from a file). No tiles by default:
a plain light background, the view fitted to the data. When the preferences name a tile URL,
that layer is added, and if it is a GCJ-02 source every overlay is shifted to GCJ-02.

Only ``Circle``, ``CircleMarker`` and ``PolyLine`` are drawn: in Leaflet's SVG renderer each
is exactly one ``<path class="leaflet-interactive">``. The counts of those are returned with
the HTML and published by the page itself (see :class:`workstation.maps.page.DrawnReport`):

- ``expected_paths`` = track segments with at least 2 points (one polyline each)
  + customer fences + competitor-site circles + competitor-site markers + office circles
  + office markers + stops + check-ins (everything drawn, one path each);
- ``expected_markers`` = competitor-site markers + office markers + stops + check-ins
  (the circle markers; each carries the CSS class ``cw-marker``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import folium
import numpy as np

from workstation.config import Preferences, resources_dir
from workstation.domain.clock import format_moment, zone_label
from workstation.domain.enums import CoordSystem
from workstation.geo.coords import convert_np
from workstation.i18n import Translator
from workstation.maps.model import EmployeeMapData, MapCheckin, MapPlace, MapStop
from workstation.maps.page import (
    MARKER_CLASS,
    DrawnReport,
    HtmlCard,
    LegendRow,
    MetricScale,
    PageStyle,
    esc,
    legend_html,
    popup_html,
    text_div,
)

TRACK_COLORS = ("#2563eb", "#c026d3", "#0d9488", "#4f46e5", "#a16207", "#db2777", "#0891b2")
STOP_FILL, STOP_LINE, STOP_ALERT = "#f59e0b", "#92400e", "#dc2626"
IN_COLOR, OUT_COLOR, NONE_COLOR = "#16a34a", "#dc2626", "#6b7280"
CUSTOMER_COLOR, COMPETITOR_COLOR, OFFICE_COLOR = "#0284c7", "#ea580c", "#334155"
#: Where the map opens when there is nothing to show (Shanghai).
DEFAULT_CENTRE = (31.2304, 121.4737)
MAX_FIT_ZOOM = 17

Project = Callable[[list[float], list[float]], list[tuple[float, float]]]


@dataclass(frozen=True)
class MapDrawing:
    html: str
    expected_paths: int
    expected_markers: int


def leaflet_assets(leaflet_dir: Path | None = None) -> tuple[list[tuple[str, str]], ...]:
    """``default_js`` and ``default_css`` for a folium map: local files only."""
    folder = (leaflet_dir or resources_dir() / "leaflet").resolve()
    js = [
        ("leaflet", (folder / "leaflet.js").as_uri()),
        ("jquery", (folder / "jquery.min.js").as_uri()),
    ]
    css = [("leaflet_css", (folder / "leaflet.css").as_uri())]
    return js, css


def _projector(preferences: Preferences) -> Project:
    """Positions as drawn: WGS-84, or GCJ-02 when the configured tiles use GCJ-02."""
    shift = bool(preferences.tile_url) and preferences.tile_coord_system == CoordSystem.GCJ02

    def project(lat: list[float], lon: list[float]) -> list[tuple[float, float]]:
        if not lat:
            return []
        if shift:
            la, lo = convert_np(lat, lon, CoordSystem.WGS84, CoordSystem.GCJ02)
        else:
            la, lo = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
        return list(zip(la.tolist(), lo.tolist(), strict=True))

    return project


class _Counter:
    def __init__(self) -> None:
        self.paths = 0
        self.markers = 0


def render_map(
    data: EmployeeMapData,
    *,
    locale: str = "zh_CN",
    preferences: Preferences | None = None,
    leaflet_dir: Path | None = None,
) -> MapDrawing:
    """The page's HTML and what Leaflet will draw from it."""
    prefs = preferences or Preferences()
    tr = Translator(locale)
    project = _projector(prefs)
    count = _Counter()

    bounds = data.bounds()
    if bounds is None:
        centre = DEFAULT_CENTRE
    else:
        (s, w), (n, e) = project([bounds[0][0], bounds[1][0]], [bounds[0][1], bounds[1][1]])
        centre = ((s + n) / 2, (w + e) / 2)
    fmap = folium.Map(
        location=centre,
        zoom_start=13 if bounds else 11,
        tiles=None,
        control_scale=False,  # MetricScale: metres and kilometres only
        prefer_canvas=False,
        max_zoom=19,
        zoom_snap=0.25,
    )
    fmap.default_js, fmap.default_css = leaflet_assets(leaflet_dir)
    title = tr(
        "Movements of {name} ({no}), {start} to {end}",
        name=data.employee_name,
        no=data.employee_no,
        start=data.start.isoformat(),
        end=data.end.isoformat(),
    )
    fmap.get_root().title = esc(title)  # type: ignore[attr-defined]
    if prefs.tile_url:
        folium.TileLayer(
            tiles=prefs.tile_url,
            attr=prefs.tile_attribution or tr("Map tiles"),
            max_zoom=19,
            name="tiles",
        ).add_to(fmap)
    PageStyle().add_to(fmap)
    MetricScale().add_to(fmap)

    _draw_places(fmap, data.customers, project, tr, count, marker=False)
    _draw_places(fmap, data.competitor_sites, project, tr, count, marker=True)
    _draw_places(fmap, data.offices, project, tr, count, marker=True)
    days = _draw_track(fmap, data, project, tr, count)
    _draw_stops(fmap, data.stops, project, tr, count)
    _draw_checkins(fmap, data.checkins, project, tr, count)

    HtmlCard("cw-info", _info_html(data, prefs, tr)).add_to(fmap)
    HtmlCard("cw-legend", legend_html(tr("Legend"), _legend_rows(days, tr))).add_to(fmap)
    if bounds is not None:
        (s, w), (n, e) = project([bounds[0][0], bounds[1][0]], [bounds[0][1], bounds[1][1]])
        fmap.fit_bounds(
            [[s, w], [n, e]],
            padding_top_left=(50, 30),  # zoom buttons
            padding_bottom_right=(250, 30),  # the info card and legend on the right
            max_zoom=MAX_FIT_ZOOM,
        )
    DrawnReport(count.paths, count.markers).add_to(fmap)
    page = fmap.get_root().render()
    return MapDrawing(html=page, expected_paths=count.paths, expected_markers=count.markers)


# ---- layers ----------------------------------------------------------------------------


def _draw_track(
    fmap: folium.Map, data: EmployeeMapData, project: Project, tr: Translator, count: _Counter
) -> list[tuple[str, str]]:
    """One polyline per segment of 2+ points, coloured by local day. Returns (day, colour)."""
    day_colors: dict[str, str] = {}
    for seg in data.segments:
        if len(seg.points) < 2:
            continue
        day = seg.started_at.date().isoformat()
        color = day_colors.setdefault(day, TRACK_COLORS[len(day_colors) % len(TRACK_COLORS)])
        pts = project([p[0] for p in seg.points], [p[1] for p in seg.points])
        folium.PolyLine(
            pts,
            color=color,
            weight=3.5,
            opacity=0.85,
            class_name="cw-track",
            tooltip=(
                f"{day} {seg.started_at:%H:%M}–{seg.ended_at:%H:%M} {_zone(tr, seg.ended_at)}"
            ),
        ).add_to(fmap)
        count.paths += 1
    return list(day_colors.items())


def _draw_places(
    fmap: folium.Map,
    places: list[MapPlace],
    project: Project,
    tr: Translator,
    count: _Counter,
    *,
    marker: bool,
) -> None:
    styles = {
        "customer": (CUSTOMER_COLOR, 1.0, 0.05, "4 4", tr("Customer")),
        "competitor": (COMPETITOR_COLOR, 1.5, 0.12, None, tr("Competitor site")),
        "office": (OFFICE_COLOR, 1.5, 0.08, None, tr("Office")),
    }
    positions = project([p.lat for p in places], [p.lon for p in places])
    for place, (lat, lon) in zip(places, positions, strict=True):
        color, weight, fill_opacity, dash, kind_label = styles[place.kind]
        name = place.name if not place.code else f"{place.name} ({place.code})"
        rows = [(kind_label, name)]
        if place.group:
            label = tr("Competitor") if place.kind == "competitor" else tr("City")
            rows.append((label, place.group))
        rows.append((tr("Radius"), tr("{m} m", m=f"{place.radius_m:.0f}")))
        popup = popup_html(kind_label, rows)
        folium.Circle(
            (lat, lon),
            radius=place.radius_m,
            color=color,
            weight=weight,
            fill=True,
            fill_color=color,
            fill_opacity=fill_opacity,
            dash_array=dash,
            class_name=f"cw-{place.kind}-area",
            popup=folium.Popup(popup, max_width=320),
            tooltip=esc(name),
        ).add_to(fmap)
        count.paths += 1
        if not marker:
            continue
        mark = folium.CircleMarker(
            (lat, lon),
            radius=6,
            color="#ffffff",
            weight=2,
            fill=True,
            fill_color=color,
            fill_opacity=1.0,
            class_name=f"{MARKER_CLASS} cw-{place.kind}",
            popup=folium.Popup(popup, max_width=320),
        )
        folium.Tooltip(
            esc(place.name), sticky=False, permanent=True, direction="right", className="cw-label"
        ).add_to(mark)
        mark.add_to(fmap)
        count.paths += 1
        count.markers += 1


def _stop_radius(minutes: float) -> float:
    return float(min(18.0, 5.0 + 1.6 * math.sqrt(max(minutes, 0.0))))


def _draw_stops(
    fmap: folium.Map, stops: list[MapStop], project: Project, tr: Translator, count: _Counter
) -> None:
    kinds = {
        "office": tr("Office"),
        "customer": tr("Customer"),
        "competitor": tr("Competitor site"),
    }
    positions = project([s.lat for s in stops], [s.lon for s in stops])
    for stop, (lat, lon) in zip(stops, positions, strict=True):
        place = (
            f"{kinds.get(stop.place_kind, stop.place_kind)}: {stop.place_name}"
            if stop.place_kind
            else tr("No known place")
        )
        rows = [
            (tr("From"), _when(tr, stop.started_at)),
            (tr("To"), _when(tr, stop.ended_at)),
            (tr("Duration"), tr("{n} min", n=f"{stop.minutes:.0f}")),
            (tr("At"), place),
        ]
        alert = stop.place_kind == "competitor"
        folium.CircleMarker(
            (lat, lon),
            radius=_stop_radius(stop.minutes),
            color=STOP_ALERT if alert else STOP_LINE,
            weight=3 if alert else 1.5,
            fill=True,
            fill_color=STOP_FILL,
            fill_opacity=0.75,
            class_name=f"{MARKER_CLASS} cw-stop",
            popup=folium.Popup(popup_html(tr("Stop"), rows), max_width=340),
            tooltip=esc(
                f"{stop.started_at:%H:%M}–{stop.ended_at:%H:%M} {_zone(tr, stop.ended_at)} · "
                + tr("{n} min", n=f"{stop.minutes:.0f}")
            ),
        ).add_to(fmap)
        count.paths += 1
        count.markers += 1


def _draw_checkins(
    fmap: folium.Map, checkins: list[MapCheckin], project: Project, tr: Translator, count: _Counter
) -> None:
    kinds = {"on_duty": tr("On duty"), "off_duty": tr("Off duty"), "field": tr("Field visit")}
    sources = {
        "device": tr("GPS fix of the app"),
        "track": tr("GPS track at the punch"),
        "address": tr("From the address (not a GPS fix)"),
    }
    links = {
        "code": tr("Customer code in the file"),
        "name": tr("Customer name in the file"),
        "remark": tr("Named in the remark"),
        "title": tr("Named in the location"),
        "task": tr("Planned visit (task)"),
        "fence": tr("Nearest own customer's fence"),
    }
    positions = project([c.lat for c in checkins], [c.lon for c in checkins])
    for c, (lat, lon) in zip(checkins, positions, strict=True):
        if c.inside_fence is None:
            color, verdict = NONE_COLOR, tr("No customer claimed")
        elif c.inside_fence:
            color, verdict = IN_COLOR, f'<span class="cw-in">{esc(tr("Inside fence"))}</span>'
        else:
            color, verdict = OUT_COLOR, f'<span class="cw-out">{esc(tr("Outside fence"))}</span>'
        customer = f"{c.customer_name} ({c.customer_code})" if c.customer_name else tr("None")
        rows: list[tuple[str, str]] = [
            (tr("Time"), _when(tr, c.checked_at)),
            (tr("Kind"), kinds.get(c.kind, c.kind)),
            (tr("Customer"), customer),
        ]
        if c.link_method:
            rows.append((tr("Linked by"), links.get(c.link_method, c.link_method)))
        if c.position_source:
            rows.append((tr("Position"), sources.get(c.position_source, c.position_source)))
        if c.distance_m is not None:
            rows.append((tr("Distance"), tr("{m} m", m=f"{c.distance_m:,.0f}")))
        acc = tr("{m} m", m=f"{c.accuracy_m:.0f}") if c.accuracy_m is not None else tr("unknown")
        rows.append((tr("Accuracy"), acc))
        if c.address:
            rows.append((tr("Address"), c.address))
        popup = popup_html(tr("Check-in"), rows, verdict_html=verdict)
        # A position from the address is where the address is, not a fix: drawn hollow.
        from_address = c.position_source == "address"
        folium.CircleMarker(
            (lat, lon),
            radius=7,
            color=color if from_address else "#ffffff",
            weight=2,
            dash_array="3 3" if from_address else None,
            fill=True,
            fill_color=color if not from_address else "#ffffff",
            fill_opacity=1.0,
            class_name=f"{MARKER_CLASS} cw-checkin",
            popup=folium.Popup(popup, max_width=340),
            tooltip=esc(
                f"{c.checked_at:%H:%M} {_zone(tr, c.checked_at)} {kinds.get(c.kind, c.kind)}"
            ),
        ).add_to(fmap)
        count.paths += 1
        count.markers += 1


# ---- text ------------------------------------------------------------------------------


def _when(tr: Translator, moment: datetime) -> str:
    """A time of the map's data (on the company's clock already), saying which zone."""
    return format_moment(moment, moment.tzinfo or UTC, tr.locale)


def _zone(tr: Translator, moment: datetime) -> str:
    return zone_label(moment.tzinfo or UTC, tr.locale, moment)


def _info_html(data: EmployeeMapData, prefs: Preferences, tr: Translator) -> str:
    outside = sum(1 for c in data.checkins if c.inside_fence is False)
    at_competitor = sum(1 for s in data.stops if s.place_kind == "competitor")
    period = (
        data.start.isoformat()
        if data.start == data.end
        else f"{data.start.isoformat()} – {data.end.isoformat()}"
    )
    counts = tr(
        "{points} track points · {stops} stops · {checkins} check-ins",
        points=data.point_count,
        stops=len(data.stops),
        checkins=len(data.checkins),
    )
    name = f"{esc(data.employee_name)} <span class='cw-sub'>({esc(data.employee_no)})</span>"
    lines = [f"<h1>{name}</h1>", text_div("cw-sub", period), text_div("", counts)]
    if outside:
        lines.append(text_div("cw-out", tr("Check-ins outside fence: {n}", n=outside)))
    if at_competitor:
        lines.append(text_div("cw-out", tr("Stops at competitor sites: {n}", n=at_competitor)))
    if not data.segments and not data.checkins:
        lines.append(text_div("cw-note", tr("No track or check-ins in this period.")))
    if not prefs.tile_url:
        lines.append(text_div("cw-note", tr("No background map (offline).")))
    elif prefs.tile_coord_system == CoordSystem.GCJ02:
        lines.append(text_div("cw-note", tr("Drawn in GCJ-02 to match the tiles.")))
    return "".join(lines)


def _legend_rows(days: list[tuple[str, str]], tr: Translator) -> list[LegendRow]:
    rows: list[LegendRow] = []
    if len(days) <= 1:
        rows.append(
            LegendRow(tr("Track"), "line", days[0][1] if days else TRACK_COLORS[0], border=3)
        )
    else:
        shown = days[: len(TRACK_COLORS)]
        rows += [LegendRow(tr("Track {day}", day=d), "line", c, border=3) for d, c in shown]
        if len(days) > len(shown):
            rows.append(LegendRow(tr("(colours repeat)"), "line", "#9ca3af", border=1))
    rows += [
        LegendRow(tr("Stop (size: duration)"), "dot", STOP_LINE, STOP_FILL, 12, 1),
        LegendRow(tr("Stop at a competitor site"), "dot", STOP_ALERT, STOP_FILL, 12, 2),
        LegendRow(tr("Check-in inside fence"), "dot", "#ffffff", IN_COLOR, 12, 2),
        LegendRow(tr("Check-in outside fence"), "dot", "#ffffff", OUT_COLOR, 12, 2),
        LegendRow(tr("Check-in, no customer"), "dot", "#ffffff", NONE_COLOR, 12, 2),
        LegendRow(
            tr("Check-in placed by its address (no GPS fix)"),
            "dot",
            NONE_COLOR,
            "#ffffff",
            12,
            2,
            dashed=True,
        ),
        LegendRow(
            tr("Customer geofence"), "dot", CUSTOMER_COLOR, "rgba(2,132,199,.08)", 14, 1, True
        ),
        LegendRow(tr("Competitor site"), "dot", COMPETITOR_COLOR, "rgba(234,88,12,.18)", 14, 2),
        LegendRow(tr("Office"), "dot", OFFICE_COLOR, "rgba(51,65,85,.12)", 14, 2),
    ]
    return rows

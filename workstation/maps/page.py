"""Page furniture for the map: style sheet, info card, legend and the "drawn" report script.

Each is a branca ``MacroElement`` added to the folium map; none of them creates an SVG path,
so they do not change what ``expected_paths`` counts.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from branca.element import MacroElement
from jinja2 import Template

#: CSS class on every point marker (stops, check-ins, site and office markers).
MARKER_CLASS = "cw-marker"

FONT_STACK = (
    '"Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "WenQuanYi Micro Hei", '
    '"Noto Sans CJK SC", "Source Han Sans SC", "Segoe UI", Roboto, Helvetica, Arial, sans-serif'
)


def esc(text: object) -> str:
    """Escape for HTML that folium embeds in a JavaScript template literal."""
    return (
        html.escape(str(text), quote=True)
        .replace("\\", "&#92;")
        .replace("`", "&#96;")
        .replace("$", "&#36;")
    )


def popup_html(title: str, rows: list[tuple[str, str]], verdict_html: str = "") -> str:
    """A popup: bold title, an optional ready-made verdict line, then label/value rows."""
    body = "".join(f'<tr><td class="k">{esc(k)}</td><td>{esc(v)}</td></tr>' for k, v in rows)
    verdict = f"<div>{verdict_html}</div>" if verdict_html else ""
    return (
        f'<div class="cw-popup"><b class="t">{esc(title)}</b>{verdict}<table>{body}</table></div>'
    )


def text_div(css_class: str, text: str) -> str:
    """One escaped line of text in a ``div`` (with a class, if given)."""
    return f"<div class='{css_class}'>{esc(text)}</div>" if css_class else f"<div>{esc(text)}</div>"


class PageStyle(MacroElement):
    """A plain, light background and the look of cards, popups and labels."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
          html, body { font-family: {{ this.font }}; }
          .leaflet-container { background: #eef1f5; font-family: {{ this.font }}; }
          .cw-card { position: fixed; z-index: 1000; background: rgba(255,255,255,0.96);
            border: 1px solid #d0d7de; border-radius: 6px; box-shadow: 0 1px 4px rgba(0,0,0,.15);
            padding: 8px 12px; font-size: 12px; color: #1f2937; line-height: 1.45; }
          .cw-info { top: 10px; right: 10px; max-width: 360px; }
          .cw-info h1 { font-size: 14px; margin: 0 0 2px 0; font-weight: 600; }
          .cw-info .cw-sub { color: #4b5563; }
          .cw-info .cw-note { color: #6b7280; font-size: 11px; margin-top: 2px; }
          .cw-legend { bottom: 28px; right: 10px; }
          .cw-legend h2 { font-size: 12px; margin: 0 0 4px 0; font-weight: 600; }
          .cw-legend .row { display: flex; align-items: center; gap: 8px; margin: 2px 0; }
          .cw-legend .sw { flex: 0 0 18px; display: inline-flex; justify-content: center; }
          .cw-legend .dot { display: inline-block; border-radius: 50%; box-sizing: border-box; }
          .cw-legend .line { display: inline-block; width: 18px; height: 0;
            border-top-style: solid; }
          .cw-popup { font-size: 12px; line-height: 1.5; min-width: 180px; }
          .cw-popup b.t { display: block; font-size: 13px; margin-bottom: 2px; }
          .cw-popup table { border-collapse: collapse; }
          .cw-popup td { padding: 0 8px 0 0; vertical-align: top; }
          .cw-popup td.k { color: #6b7280; white-space: nowrap; }
          .cw-out { color: #b91c1c; font-weight: 600; }
          .cw-in { color: #15803d; font-weight: 600; }
          .leaflet-tooltip.cw-label { background: rgba(255,255,255,0.85); border: none;
            box-shadow: none; padding: 0 3px; font-size: 11px; color: #111827; }
          .leaflet-tooltip.cw-label:before { display: none; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        if ({{ this._parent.get_name() }}.attributionControl) {
          {{ this._parent.get_name() }}.attributionControl.setPrefix("Leaflet");
        }
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "CaseworkStyle"
        self.font = FONT_STACK


class HtmlCard(MacroElement):
    """A fixed card of ready-made HTML (already escaped by the caller)."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <div class="cw-card {{ this.css_class }}" id="{{ this.get_name() }}">{{ this.body }}</div>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
          var card = document.getElementById({{ this.get_name()|tojson }});
          if (card && window.L) { L.DomEvent.disableClickPropagation(card);
            L.DomEvent.disableScrollPropagation(card); }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, css_class: str, body: str) -> None:
        super().__init__()
        self._name = "CaseworkCard"
        self.css_class = css_class
        self.body = body


class MetricScale(MacroElement):
    """Leaflet's scale bar in metres and kilometres only (folium's ``control_scale`` would
    add miles and feet as well)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({metric: true, imperial: false, maxWidth: 160})
            .addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MetricScale"


@dataclass(frozen=True)
class LegendRow:
    label: str
    kind: str  # "line" | "dot"
    color: str
    fill: str = ""
    size: int = 10
    border: int = 2
    dashed: bool = False


def legend_html(title: str, rows: list[LegendRow]) -> str:
    parts = [f"<h2>{esc(title)}</h2>"]
    for row in rows:
        if row.kind == "line":
            style = f"border-top-width:{row.border}px;border-top-color:{row.color};"
            if row.dashed:
                style += "border-top-style:dashed;"
            swatch = f'<span class="line" style="{style}"></span>'
        else:
            style = (
                f"width:{row.size}px;height:{row.size}px;border:{row.border}px "
                f"{'dashed' if row.dashed else 'solid'} {row.color};"
                f"background:{row.fill or 'transparent'};"
            )
            swatch = f'<span class="dot" style="{style}"></span>'
        parts.append(f'<div class="row"><span class="sw">{swatch}</span>{esc(row.label)}</div>')
    return "".join(parts)


class DrawnReport(MacroElement):
    """After Leaflet has drawn, publish what it drew for the GUI (and a console line).

    ``window.caseworkDrawn = {paths, markers}``: ``paths`` counts every
    ``path.leaflet-interactive`` element (each polyline, circle and circle marker is one SVG
    path), ``markers`` those of them with the class ``cw-marker``. The expected numbers are in
    ``window.caseworkExpected`` for comparison.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
          var map = {{ this._parent.get_name() }};
          window.caseworkExpected = {{ this.expected|tojson }};
          function report() {
            var root = map.getContainer();
            window.caseworkDrawn = {
              paths: root.querySelectorAll("path.leaflet-interactive").length,
              markers: root.querySelectorAll("path.leaflet-interactive.{{ this.marker_class }}")
                .length
            };
            console.log("casework:drawn " + JSON.stringify(window.caseworkDrawn));
          }
          map.whenReady(function () { setTimeout(report, 0); });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, expected_paths: int, expected_markers: int) -> None:
        super().__init__()
        self._name = "CaseworkDrawn"
        self.marker_class = MARKER_CLASS
        self.expected = {"paths": expected_paths, "markers": expected_markers}

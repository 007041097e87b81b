"""One small style sheet on top of Qt's Fusion style (object names set in the widgets)."""

from __future__ import annotations

ACCENT = "#1f4e79"

STYLE_SHEET = f"""
QListWidget#navigation {{
    background: #eef2f6;
    border: none;
    border-right: 1px solid #d5dce4;
    padding: 10px 6px;
    outline: 0;
}}
QListWidget#navigation::item {{
    padding: 9px 10px;
    margin: 1px 2px;
    border-radius: 6px;
    color: #2c3e50;
}}
QListWidget#navigation::item:hover {{ background: #e1e8ef; }}
QListWidget#navigation::item:selected {{
    background: {ACCENT};
    color: white;
}}
QLabel#pageTitle {{ font-size: 20px; font-weight: 600; color: #1c2833; }}
QLabel#pageSubtitle, QLabel#mutedLabel {{ color: #5d6d7e; }}
QLabel#emptyState {{ color: #5d6d7e; font-size: 14px; padding: 40px; }}
QLabel#noticeBanner {{
    background: #fff6dc; color: #6b4e00; border: 1px solid #f0d58a;
    border-radius: 6px; padding: 8px 12px;
}}
QLabel#holdBanner {{
    background: #fdecea; color: #8a1c12; border: 1px solid #f1b0a8;
    border-radius: 6px; padding: 6px 10px; font-weight: 600;
}}
QFrame#profileCard {{
    background: #f7f9fb; border: 1px solid #dde3ea; border-radius: 8px;
}}
QFrame#profileCard[broken="true"] {{
    background: #fdf2f1; border: 2px solid #c0392b;
}}
QLabel#integrityBanner {{
    background: #c0392b; color: white; border-radius: 6px; padding: 8px 12px;
}}
QLabel#profileName {{ font-size: 22px; font-weight: 600; color: #1c2833; }}
QLabel#fieldCaption {{ color: #5d6d7e; }}
QFrame#statTile {{
    background: white; border: 1px solid #dde3ea; border-radius: 8px;
}}
QFrame#statTile[alert="true"] {{ background: #fde8e7; border-color: #f3b5b0; }}
QLabel#statValue {{ font-size: 24px; font-weight: 600; color: #1c2833; }}
QFrame#statTile[alert="true"] QLabel#statValue {{ color: #9b1c1c; }}
QLabel#statCaption {{ color: #5d6d7e; }}
QPushButton#linkButton {{ color: {ACCENT}; border: none; padding: 4px 2px; text-align: left; }}
QPushButton#linkButton:hover {{ text-decoration: underline; }}
QLabel#sectionTitle {{ font-weight: 600; color: #1c2833; margin-top: 6px; }}
QLabel#severityBadge {{
    border-radius: 10px; padding: 3px 12px; font-weight: 600;
    background: #eef2f6; color: #2c3e50; border: 1px solid #d5dce4;
}}
QLabel#severityBadge[severity="high"] {{
    background: #fde8e7; color: #9b1c1c; border-color: #f3b5b0;
}}
QLabel#severityBadge[severity="medium"] {{
    background: #fff6dc; color: #6b4e00; border-color: #f0d58a;
}}
QTableView {{ gridline-color: #e5e8ec; selection-background-color: #cfe0f1;
    selection-color: #1c2833; }}
QTableView::item {{ padding: 0 6px; }}
QHeaderView::section {{
    background: #f3f5f8; border: none; border-bottom: 1px solid #d5dce4;
    padding: 5px 6px; font-weight: 600; color: #34495e;
}}
QFrame#readinessPanel {{
    background: #f7f9fb; border: 1px solid #dde3ea; border-radius: 8px;
}}
QWidget#readinessBody {{ background: transparent; }}
QLabel#readinessMark {{ color: #2e7d32; font-weight: 600; }}
QLabel#readinessMark[attention="true"] {{ color: #b7791f; }}
QLabel#readinessLabel {{ color: #1c2833; }}
QLabel#readinessFigure {{ color: #1c2833; font-weight: 600; }}
QStatusBar QLabel {{ color: #34495e; padding: 0 8px; }}
"""

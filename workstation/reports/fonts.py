"""The CJK font every generated PDF uses, embedded (as a subset) so any reader shows the text.

reportlab's built-in ``STSong-Light`` is never embedded (blank text on machines without Asian
font packs) and Noto CJK ``.otf`` cannot be embedded by reportlab; the bundled WenQuanYi Micro
Hei TrueType collection can. It has no bold face: :func:`register_cjk_font` maps bold to the
regular face, and the documents draw headings with a stroked outline instead (see
``pdf_documents``).
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from workstation.config import Preferences, resources_dir

_lock = threading.Lock()
_registered: dict[Path, str] = {}


def default_font_path() -> Path:
    return resources_dir() / Preferences().font_file


def register_cjk_font(path: Path | None = None) -> str:
    """Register the TrueType font at ``path`` once per process; return its reportlab name."""
    font_path = (path or default_font_path()).resolve()
    with _lock:
        name = _registered.get(font_path)
        if name:
            return name
        if not font_path.is_file():
            raise FileNotFoundError(f"CJK font not found: {font_path}")
        digest = hashlib.sha1(str(font_path).encode("utf-8"), usedforsecurity=False)
        name = f"CaseworkCJK-{digest.hexdigest()[:8]}"
        pdfmetrics.registerFont(TTFont(name, str(font_path), subfontIndex=0))
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(name, bold, italic, name)
        _registered[font_path] = name
        return name

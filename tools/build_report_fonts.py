"""Build the TrueType fonts of the PDF reports (src/arna/oversight/data/fonts/) from the Noto Sans
web fonts the pages use (src/arna/web/static/fonts/): each weight's four subsets (Latin, Latin
Extended, Cyrillic, Cyrillic Extended: every letter of Kazakh, Russian and English) decompressed
from WOFF2 and merged into one font, which the PDF writer (fpdf2) and the chart renderer
(vl-convert) can read. The result is committed; run this only when the web fonts change.

    .venv/bin/pip install brotli==1.2.1   # WOFF2 decompression, needed here only
    .venv/bin/python tools/build_report_fonts.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from fontTools.merge import Merger
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "src" / "arna" / "web" / "static" / "fonts"
OUT = ROOT / "src" / "arna" / "oversight" / "data" / "fonts"
SUBSETS = ("latin", "latin-ext", "cyrillic", "cyrillic-ext")
WEIGHTS = {"400": "NotoSans-Regular.ttf", "700": "NotoSans-Bold.ttf"}
KAZAKH = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for weight, name in WEIGHTS.items():
            parts = []
            for subset in SUBSETS:
                font = TTFont(WEB / f"noto-sans-{subset}-{weight}-normal.woff2")
                font.flavor = None  # plain TrueType
                part = Path(folder) / f"{subset}-{weight}.ttf"
                font.save(part)
                parts.append(str(part))
            merged = Merger().merge(parts)
            cmap = merged.getBestCmap()
            missing = [c for c in KAZAKH if ord(c) not in cmap]
            if missing:
                raise SystemExit(f"{name}: no glyph for {''.join(missing)}")
            merged.save(OUT / name)
            print(f"{OUT / name}: {len(cmap)} characters")


if __name__ == "__main__":
    main()

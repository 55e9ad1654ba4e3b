"""The report's fonts: the DejaVu files that matplotlib's wheel ships, embedded in the HTML.

Without them the report named JupyterLab's font lists (system-ui, Helvetica, Arial, Menlo, ...), so each
machine set the PDF in whatever its fontconfig found: 15 pages with Chromium's fonts installed, 18 without,
and a crash with no font at all. Now every font list of the report's stylesheets names only the two families
declared here (and a generic fallback after them), and ``embed_fonts`` adds their ``@font-face`` rules.

Why embedded rather than ``local()``: the HTML must open offline as one file and look like the PDF, and
most readers' machines have no DejaVu, so a ``local()`` rule would show them another font with other line
breaks. The PDF is rendered from that same HTML, so both use the same bytes. To keep the HTML small, each
face is subset to Latin-1, common punctuation and every character the report holds, without hinting
(browsers render DejaVu well without it; the PDF never uses it): 8 to 10 kB of WOFF2 a face, 102 kB in all
as base64 for the seeds' report (1.68 MB before, 1.78 MB with them).

The bytes are the same on every run and machine: the font files come with the pinned matplotlib, fontTools
keeps the files' own ``head.modified`` (no time stamp), the family names are fixed (no random subset tag),
WOFF2's Brotli (pinned, a dependency of WeasyPrint's fontTools[woff]) is deterministic, and no path is
written. All four faces of each family are declared, so neither a browser nor Pango ever synthesises a
bold or a slant (Pango does so only where the system's fontconfig rules say so).

What still depends on the system: characters that DejaVu lacks (Chinese, for one; ``embed_fonts`` names them
in a warning), and emoji, which Pango sets in a font that covers emoji as a whole (a system one, even where
DejaVu has the glyph). The seeds' report has neither.
"""

from __future__ import annotations

import base64
import html as html_module
import io
import logging
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from ..cache import cached

log = logging.getLogger(__name__)

SANS = "topicmap DejaVu Sans"
MONO = "topicmap DejaVu Sans Mono"
SANS_STACK = f"'{SANS}', sans-serif"
MONO_STACK = f"'{MONO}', monospace"
#: (family, matplotlib's file, CSS weight, CSS style)
FACES = (
    (SANS, "DejaVuSans.ttf", 400, "normal"),
    (SANS, "DejaVuSans-Bold.ttf", 700, "normal"),
    (SANS, "DejaVuSans-Oblique.ttf", 400, "italic"),
    (SANS, "DejaVuSans-BoldOblique.ttf", 700, "italic"),
    (MONO, "DejaVuSansMono.ttf", 400, "normal"),
    (MONO, "DejaVuSansMono-Bold.ttf", 700, "normal"),
    (MONO, "DejaVuSansMono-Oblique.ttf", 400, "italic"),
    (MONO, "DejaVuSansMono-BoldOblique.ttf", 700, "italic"),
)
#: The browser's and WeasyPrint's own defaults are system fonts (serif for the page, monospace for code):
#: these rules come before the page's stylesheets, which may set other shipped families.
ELEMENT_FONTS = (f"html, body {{ font-family: {SANS_STACK}; }}\n"
                 f"code, pre, kbd, samp, tt, listing, xmp, plaintext {{ font-family: {MONO_STACK}; }}")
GENERIC_FAMILIES = {"serif", "sans-serif", "monospace", "cursive", "fantasy"}
#: Always in the subset: printable ASCII, Latin-1, dashes, quotes, bullets, ellipsis, per mille, single
#: guillemets, euro, trade mark and minus, so a word of a new article seldom changes the fonts' bytes.
BASE_CHARACTERS = frozenset(
    [*range(0x20, 0x7F), *range(0xA0, 0x100), *range(0x2010, 0x2028), *range(0x2030, 0x203B), 0x20AC, 0x2122, 0x2212])

_STYLE = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.DOTALL | re.IGNORECASE)
#: a font-family declaration or a custom property holding a font list (JupyterLab's --jp-ui-font-family, ...)
_FONT_LIST = re.compile(r"(?P<name>--[\w-]*font-family[\w-]*|(?<![\w-])font-family)(?P<colon>\s*:\s*)(?P<value>[^;{}]+)")


def font_folder() -> Path:
    """matplotlib's bundled TrueType fonts (found from the installed package, never a fixed path)."""
    import matplotlib

    return Path(matplotlib.get_data_path(), "fonts", "ttf")


def families(value: str) -> list[str]:
    """The families of a CSS font list, unquoted and lower-cased (``var(...)`` and keywords included)."""
    return [name.strip().strip("'\"").strip().lower() for name in value.split(",") if name.strip()]


def shipped_font_list(value: str) -> bool:
    """Whether a CSS font list names no font the project does not ship: a variable, a keyword, or one of
    the embedded families first, followed by nothing but embedded or generic families."""
    names = families(value)
    if len(names) == 1 and (names[0].startswith("var(") or names[0] in {"inherit", "initial", "unset", "revert"}):
        return True
    shipped = {SANS.lower(), MONO.lower()}
    return bool(names) and names[0] in shipped and all(name in shipped | GENERIC_FAMILIES for name in names)


def _shipped_fonts_only(css: str) -> str:
    def replace(match: re.Match) -> str:
        value = match["value"]
        if shipped_font_list(value):
            return match.group(0)
        trailing = value[len(value.rstrip()):]
        stack = MONO_STACK if "monospace" in families(value) else SANS_STACK
        return f"{match['name']}{match['colon']}{stack}{trailing}"

    return _FONT_LIST.sub(replace, css)


def subset_woff2(path: Path, characters: frozenset[int]) -> bytes:
    """One face cut down to ``characters`` (those it has), as WOFF2, the same bytes on every run."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options(hinting=False, notdef_outline=True)
    font = TTFont(str(path), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(characters))
    subset_log = logging.getLogger("fontTools.subset")
    level = subset_log.level
    subset_log.setLevel(logging.ERROR)  # "FFTM NOT subset; dropped": FontForge's time stamps, well gone
    try:
        subsetter.subset(font)
    finally:
        subset_log.setLevel(level)
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@lru_cache(maxsize=8)
def font_face_css(characters: frozenset[int]) -> str:
    """The ``@font-face`` rules of every face, each subset to ``characters`` and embedded as a data URL."""
    folder = font_folder()
    rules = []
    for family, file, weight, style in FACES:
        data = base64.b64encode(subset_woff2(folder / file, characters)).decode("ascii")
        rules.append(f"@font-face {{ font-family: '{family}'; font-weight: {weight}; font-style: {style}; "
                     f"src: url(data:font/woff2;base64,{data}) format('woff2'); }}")
    return "\n".join(rules)


def characters_of(page: str) -> frozenset[int]:
    """Every character of an HTML page but control characters (entities decoded), with the BASE_CHARACTERS.

    Not ``str.isprintable``: it leaves out the narrow no-break space of French typography (U+202F), which a
    subset without it would send to a system font."""
    return BASE_CHARACTERS | {ord(c) for c in html_module.unescape(page) if unicodedata.category(c) != "Cc"}


@lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset().union(*(TTFont(str(font_folder() / file), lazy=True).getBestCmap() for _, file, _, _ in FACES))


def missing_characters(characters: frozenset[int]) -> list[str]:
    """The characters that no embedded face has: those a reader's system (and the PDF's) would supply."""
    return [chr(c) for c in sorted(characters - _covered())]


def cached_font_face_css(characters: frozenset[int], cache: Path | None) -> str:
    """``font_face_css``, read from the step cache folder ``cache`` when the same faces were subset to the
    same characters before (subsetting the eight faces is seconds; a new title seldom brings a new character)."""
    if cache is None:
        return font_face_css(characters)
    from ..cache import file_digest, key_of, output_environment

    folder = font_folder()
    key = key_of("fonts", sorted(characters), [(file, file_digest(folder / file)) for _, file, _, _ in FACES],
                 output_environment())
    return cached(cache, "fonts", key, lambda: font_face_css(characters), kind=str)


def embed_fonts(page: str, cache: Path | None = None) -> str:
    """The HTML page with only the shipped fonts: every font list of its stylesheets names them (JupyterLab's
    system-ui, Helvetica, Menlo, ... are replaced), and their ``@font-face`` rules and ELEMENT_FONTS come
    first in its head. With ``cache`` (a step cache folder), the subset faces are kept there."""
    page = _STYLE.sub(lambda m: m[1] + _shipped_fonts_only(m[2]) + m[3], page)
    characters = characters_of(page)
    missing = missing_characters(characters)
    if missing:
        log.warning("the report holds %d characters that the embedded DejaVu fonts lack (%s): readers' fonts, "
                    "and the system's in the PDF, show them", len(missing), "".join(missing[:20]))
    faces = (f'<style type="text/css">\n/* The report\'s fonts: see topicmap/report/fonts.py */\n{cached_font_face_css(characters, cache)}\n'
             f"{ELEMENT_FONTS}\n</style>\n")
    head = page.find("<style")
    if head < 0:
        head = page.index("</head>")
    return page[:head] + faces + page[head:]

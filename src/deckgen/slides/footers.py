"""The footer band's words fitted into each layout's footer placeholders, like any other text.

Every slide of a layout shows the same classification and data date in the same boxes, so each
is fitted once per layout: wrapped to its placeholder, at the template's size when that fits,
else shrunk a point at a time down to the footer style's minimum (or the template's own size,
when it sets its footers smaller than that: they are not made larger). What does not fit then
is the template's to change (its footer placeholders are too small for the words); the check
reports it once, grouped by that cause.
"""

from __future__ import annotations

from collections.abc import Iterable

from deckgen.design import STYLES, TextStyle
from deckgen.identity import DATA_AS_OF
from deckgen.slides.context import BuildContext
from deckgen.slides.parts import fit_placeholder, placeholder_look, template_spacing

FOOTER_PLACEHOLDERS = ("footer", "date", "slide_number")


def footer_texts(classification: str, data_as_of: str, slides: int) -> dict[str, str]:
    """What each footer placeholder shows; the slide number at its widest (the last)."""
    return {
        "footer": classification,
        "date": f"{DATA_AS_OF}{data_as_of}",
        "slide_number": str(max(slides, 1)),
    }


def fit_footers(
    ctx: BuildContext, layouts: Iterable[str], texts: dict[str, str]
) -> dict[str, dict[str, float]]:
    """The size (points) each footer placeholder of each layout must set its text at, where
    the template's own size does not fit it: by layout name, then placeholder."""
    sizes: dict[str, dict[str, float]] = {}
    minimum = STYLES[TextStyle.FOOTER].minimum
    for layout in dict.fromkeys(layouts):
        shape = ctx.geometry.layouts[layout]
        for which in FOOTER_PLACEHOLDERS:
            box = getattr(shape, which)
            text = texts.get(which, "")
            if box is None or not text:
                continue
            look = placeholder_look(ctx, layout, which, TextStyle.FOOTER)
            least = min(look.size, minimum)
            fit = fit_placeholder(
                ctx, text, box, look, (look.size, least), template_spacing(look), what="footer"
            )
            if fit.size != look.size:
                sizes.setdefault(layout, {})[which] = fit.size
    return sizes

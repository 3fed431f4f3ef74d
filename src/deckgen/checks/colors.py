"""Resolve DrawingML colours and fills to RGB as PowerPoint does, for the contrast rule.

Scheme colours go through the slide's colour map to the theme (tx1 -> dk1 ...), system colours
use the colour last computed for them, and the transforms are applied in the order the file
gives them: lumMod/lumOff/sat* in HSL, tint and shade in linear RGB (as Office does), alpha
kept for compositing. A fill that is not one flat colour (gradient, picture, pattern) is
"unknown": the contrast rule does not guess what lies under the text then.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass
from enum import Enum

from deckgen.checks.deck import Theme
from deckgen.checks.ooxml import Element, int_attr, local_name

PERCENT = 100_000  # DrawingML percentages are in thousandths of a percent
HUE_UNIT = 60_000 * 360  # a full turn, in 60,000ths of a degree
FILL_TAGS = frozenset({"noFill", "solidFill", "gradFill", "blipFill", "pattFill", "grpFill"})
COLOR_TAGS = frozenset({"srgbClr", "schemeClr", "sysClr", "scrgbClr", "hslClr", "prstClr"})
BACKGROUND_STYLE_BASE = 1000  # fillRef/bgRef idx above this picks a background fill style
SYSTEM_COLORS = {"windowText": "000000", "window": "FFFFFF", "btnText": "000000"}
PRESET_COLORS = {
    "black": "000000",
    "white": "FFFFFF",
    "red": "FF0000",
    "green": "008000",
    "blue": "0000FF",
    "yellow": "FFFF00",
    "gray": "808080",
    "grey": "808080",
    "darkGray": "A9A9A9",
    "lightGray": "D3D3D3",
    "navy": "000080",
    "orange": "FFA500",
}


@dataclass(frozen=True)
class Rgba:
    """An sRGB colour (channels 0..1) with its opacity."""

    red: float
    green: float
    blue: float
    alpha: float = 1.0

    @classmethod
    def of(cls, hex_colour: str, alpha: float = 1.0) -> Rgba | None:
        if len(hex_colour) != 6:
            return None
        try:
            r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4))
        except ValueError:
            return None
        return cls(r, g, b, alpha)

    @property
    def hex(self) -> str:
        return "".join(f"{round(_clamp(c) * 255):02X}" for c in (self.red, self.green, self.blue))

    def over(self, below: Rgba) -> Rgba:
        """This colour drawn over an opaque one, as the eye sees the mix."""
        a = _clamp(self.alpha)
        return Rgba(
            self.red * a + below.red * (1 - a),
            self.green * a + below.green * (1 - a),
            self.blue * a + below.blue * (1 - a),
        )


class FillKind(Enum):
    UNSET = "unset"  # no fill given here: inherit, or nothing
    NONE = "none"  # explicitly transparent
    SOLID = "solid"
    GROUP = "group"  # the enclosing group's fill
    UNKNOWN = "unknown"  # gradient, picture or pattern: not one colour


@dataclass(frozen=True)
class Fill:
    kind: FillKind
    color: Rgba | None = None


UNSET = Fill(FillKind.UNSET)
NO_FILL = Fill(FillKind.NONE)
GROUP_FILL = Fill(FillKind.GROUP)
WHITE = Rgba(1.0, 1.0, 1.0)  # what PowerPoint shows where nothing is drawn
UNKNOWN = Fill(FillKind.UNKNOWN)


# What a colour element's colour depends on: its tag and attributes, its transforms' tags and
# values, and the placeholder colour phClr stands for.
ColorKey = tuple[object, tuple[tuple[str, str], ...], tuple[tuple[object, str | None], ...], object]


class Palette:
    """Colours in one slide's context: its theme and its colour map.

    A slide names the same few colours thousands of times (every table cell's text and fill),
    so each colour is worked out once per slide by what is written, and each fill once per
    element.
    """

    def __init__(self, theme: Theme, color_map: dict[str, str]) -> None:
        self.theme = theme
        self.color_map = color_map
        self._colors: dict[ColorKey, Rgba | None] = {}
        self._fills: dict[Element, Fill] = {}

    def color(self, element: Element | None, placeholder: Rgba | None = None) -> Rgba | None:
        """The colour an a:*Clr element stands for; None when it cannot be known."""
        if element is None:
            return None
        key = (
            element.tag,
            tuple(element.items()),
            tuple((step.tag, step.get("val")) for step in element),
            placeholder,
        )
        if key not in self._colors:
            base = self._base(element, placeholder)
            self._colors[key] = _transformed(base, element) if base is not None else None
        return self._colors[key]

    def color_in(self, holder: Element | None, placeholder: Rgba | None = None) -> Rgba | None:
        """The colour of the first colour element inside `holder` (a solidFill, fontRef, ...)."""
        if holder is None:
            return None
        for child in holder:
            if local_name(child) in COLOR_TAGS:
                return self.color(child, placeholder)
        return None

    def fill(self, holder: Element | None, placeholder: Rgba | None = None) -> Fill:
        """The fill an spPr, tcPr or bgPr gives, by its first fill element."""
        if holder is None:
            return UNSET
        if placeholder is not None:
            return self._fill(holder, placeholder)
        found = self._fills.get(holder)
        if found is None:
            found = self._fills[holder] = self._fill(holder, None)
        return found

    def _fill(self, holder: Element, placeholder: Rgba | None) -> Fill:
        for child in holder:
            name = local_name(child)
            if name not in FILL_TAGS:
                continue
            if name == "noFill":
                return NO_FILL
            if name == "grpFill":
                return GROUP_FILL
            if name == "solidFill":
                color = self.color_in(child, placeholder)
                return Fill(FillKind.SOLID, color) if color is not None else UNKNOWN
            return UNKNOWN
        return UNSET

    def style_fill(self, reference: Element | None) -> Fill:
        """The theme fill a fillRef or bgRef points at, in the reference's colour."""
        if reference is None:
            return UNSET
        index = int_attr(reference, "idx", 0)
        if index == 0:
            return NO_FILL
        if index > BACKGROUND_STYLE_BASE:
            styles, position = self.theme.background_fill_styles, index - BACKGROUND_STYLE_BASE
        else:
            styles, position = self.theme.fill_styles, index
        if not 1 <= position <= len(styles):
            return UNKNOWN
        style = styles[position - 1]  # a fill element; phClr in it is the reference's colour
        if local_name(style) == "solidFill":
            picked = self.color_in(style, self.color_in(reference))
            return Fill(FillKind.SOLID, picked) if picked is not None else UNKNOWN
        if local_name(style) == "noFill":
            return NO_FILL
        return UNKNOWN

    def _base(self, element: Element, placeholder: Rgba | None) -> Rgba | None:
        name = local_name(element)
        if name == "srgbClr":
            return Rgba.of(str(element.get("val") or ""))
        if name == "sysClr":
            last = element.get("lastClr")
            value = str(last) if last else SYSTEM_COLORS.get(str(element.get("val") or ""), "")
            return Rgba.of(value)
        if name == "prstClr":
            return Rgba.of(PRESET_COLORS.get(str(element.get("val") or ""), ""))
        if name == "scrgbClr":
            channels = (int_attr(element, key, 0) / PERCENT for key in ("r", "g", "b"))
            r, g, b = (_to_srgb(c) for c in channels)
            return Rgba(r, g, b)
        if name == "hslClr":
            hue = int_attr(element, "hue", 0) / HUE_UNIT
            sat = int_attr(element, "sat", 0) / PERCENT
            lum = int_attr(element, "lum", 0) / PERCENT
            r, g, b = colorsys.hls_to_rgb(hue % 1, _clamp(lum), _clamp(sat))
            return Rgba(r, g, b)
        if name == "schemeClr":
            value = str(element.get("val") or "")
            if value == "phClr":
                return placeholder
            slot = self.color_map.get(value, value)
            theme_colour = self.theme.scheme.get(slot)
            if theme_colour is None or local_name(theme_colour) == "schemeClr":
                return None
            return self.color(theme_colour)
        return None


def _transformed(colour: Rgba, element: Element) -> Rgba:
    r, g, b, alpha = colour.red, colour.green, colour.blue, colour.alpha
    for step in element:
        name = local_name(step)
        value = int_attr(step, "val", 0)
        fraction = value / PERCENT
        if name == "alpha":
            alpha = fraction
        elif name == "alphaMod":
            alpha *= fraction
        elif name == "alphaOff":
            alpha += fraction
        elif name in ("tint", "shade"):
            linear = [_to_linear(c) for c in (r, g, b)]
            if name == "tint":
                linear = [1 - (1 - c) * fraction for c in linear]
            else:
                linear = [c * fraction for c in linear]
            r, g, b = (_to_srgb(c) for c in linear)
        elif name in _HSL_STEPS:
            r, g, b = _hsl_step(name, value, r, g, b)
        elif name == "inv":
            r, g, b = 1 - r, 1 - g, 1 - b
        elif name == "gray":
            grey = 0.2126 * r + 0.7152 * g + 0.0722 * b
            r = g = b = grey
    return Rgba(_clamp(r), _clamp(g), _clamp(b), _clamp(alpha))


_HSL_STEPS = frozenset(
    {"lumMod", "lumOff", "lum", "satMod", "satOff", "sat", "hueMod", "hueOff", "hue", "comp"}
)


def _hsl_step(name: str, value: int, r: float, g: float, b: float) -> tuple[float, float, float]:
    hue, lum, sat = colorsys.rgb_to_hls(_clamp(r), _clamp(g), _clamp(b))
    fraction = value / PERCENT
    if name == "lumMod":
        lum *= fraction
    elif name == "lumOff":
        lum += fraction
    elif name == "lum":
        lum = fraction
    elif name == "satMod":
        sat *= fraction
    elif name == "satOff":
        sat += fraction
    elif name == "sat":
        sat = fraction
    elif name == "hueMod":
        hue = (hue * fraction) % 1
    elif name == "hueOff":
        hue = (hue + value / HUE_UNIT) % 1
    elif name == "hue":
        hue = (value / HUE_UNIT) % 1
    elif name == "comp":
        hue = (hue + 0.5) % 1
    return colorsys.hls_to_rgb(hue, _clamp(lum), _clamp(sat))


def _clamp(value: float) -> float:
    return min(max(value, 0.0), 1.0)


def _to_linear(channel: float) -> float:
    c = _clamp(channel)
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _to_srgb(channel: float) -> float:
    c = _clamp(channel)
    return c * 12.92 if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055

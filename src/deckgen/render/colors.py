"""Colour roles to theme colours, so a template's theme restyles every shape and chart."""

from __future__ import annotations

from typing import Any

from pptx.enum.dml import MSO_PATTERN, MSO_THEME_COLOR

from deckgen.design import Role

THEME_COLOR: dict[Role, MSO_THEME_COLOR] = {
    Role.TEXT: MSO_THEME_COLOR.TEXT_1,
    Role.BACKGROUND: MSO_THEME_COLOR.BACKGROUND_1,
    Role.PRIMARY: MSO_THEME_COLOR.TEXT_2,
    Role.PANEL: MSO_THEME_COLOR.BACKGROUND_2,
    Role.INVESTMENT: MSO_THEME_COLOR.ACCENT_1,
    Role.BENEFIT: MSO_THEME_COLOR.ACCENT_2,
    Role.ACCENT: MSO_THEME_COLOR.ACCENT_3,
    Role.SECONDARY: MSO_THEME_COLOR.ACCENT_4,
    Role.NEGATIVE: MSO_THEME_COLOR.ACCENT_5,
    Role.HIGHLIGHT: MSO_THEME_COLOR.ACCENT_6,
}


def set_color(color_format: Any, role: Role) -> None:
    """Point a python-pptx ColorFormat at a role's theme colour."""
    color_format.theme_color = THEME_COLOR[role]


def fill_solid(fill_format: Any, role: Role) -> None:
    """Fill a shape, series or point with a role's theme colour."""
    fill_format.solid()
    set_color(fill_format.fore_color, role)


# design.py names patterns in words; PowerPoint's own names for them.
PATTERNS: dict[str, MSO_PATTERN] = {
    "wide-upward-diagonal": MSO_PATTERN.WIDE_UPWARD_DIAGONAL,
    "wide-downward-diagonal": MSO_PATTERN.WIDE_DOWNWARD_DIAGONAL,
    "light-upward-diagonal": MSO_PATTERN.LIGHT_UPWARD_DIAGONAL,
    "dark-upward-diagonal": MSO_PATTERN.DARK_UPWARD_DIAGONAL,
    "narrow-horizontal": MSO_PATTERN.NARROW_HORIZONTAL,
    "dotted-grid": MSO_PATTERN.DOTTED_GRID,
}


def fill_pattern(fill_format: Any, role: Role, pattern: str) -> None:
    """Fill with a pattern (design.CHART.forecast_pattern) in a role over the background."""
    fill_format.patterned()
    fill_format.pattern = PATTERNS[pattern]
    set_color(fill_format.fore_color, role)
    set_color(fill_format.back_color, Role.BACKGROUND)

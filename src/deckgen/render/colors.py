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


def fill_forecast(fill_format: Any, role: Role) -> None:
    """Fill a forecast point: hatched in the series colour over the background colour."""
    fill_format.patterned()
    fill_format.pattern = MSO_PATTERN.WIDE_UPWARD_DIAGONAL
    set_color(fill_format.fore_color, role)
    set_color(fill_format.back_color, Role.BACKGROUND)

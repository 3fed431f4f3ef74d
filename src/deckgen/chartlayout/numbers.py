"""Excel number formats read as Excel shows them: the words a data label will show.

One reading of a format for the whole program: the layout measures labels with it and the
picture writer paints its text, so a label measures and reads as PowerPoint will draw it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# Characters Excel shows as themselves without quotes.
_LITERAL_CHARS = frozenset(" $-+/():!^&'~{}<>=£€")
_DIGIT_CHARS = frozenset("0#?")
_COLOUR_CODES = frozenset(("black", "blue", "cyan", "green", "magenta", "red", "white", "yellow"))
_GENERAL_DECIMALS = 2
GENERAL = "general"
GENERAL_DIGITS = 10  # Excel's General shows at most this many significant digits in a label
_PERCENT = (False, "\x00%")  # an unquoted percent sign: shown as "%" and scales by 100


@dataclass(frozen=True)
class NumberPattern:
    """One section of an Excel number format, reduced to what charts use."""

    prefix: str
    suffix: str
    min_integer_digits: int
    thousands: bool
    min_decimals: int
    max_decimals: int
    multiplier: Decimal  # 100 per unquoted %, 1/1000 per trailing comma
    has_digits: bool
    general: bool = False  # "General": as typed, up to ten significant digits, no separators

    def render(self, magnitude: float) -> tuple[str, bool]:
        """Return the text for a non-negative number and whether it shows a non-zero amount."""
        if not self.has_digits:
            return self.prefix + self.suffix, False
        if self.general:
            shown = f"{float(Decimal(repr(float(magnitude))) * self.multiplier):.{GENERAL_DIGITS}g}"
            if "e" in shown:
                shown = _general(float(shown)).replace(",", "")
            return self.prefix + shown + self.suffix, float(shown) != 0
        scaled = Decimal(repr(float(magnitude))) * self.multiplier
        rounded = scaled.quantize(Decimal(1).scaleb(-self.max_decimals), rounding=ROUND_HALF_UP)
        whole, _, fraction = f"{rounded:f}".partition(".")
        fraction = fraction.rstrip("0").ljust(self.min_decimals, "0")
        integer = int(whole)
        if integer == 0 and self.min_integer_digits == 0:
            whole = ""
        else:
            whole = f"{integer:0{self.min_integer_digits}d}"
            if self.thousands:
                whole = f"{int(whole):,}".rjust(len(whole), "0")
        number = f"{whole}.{fraction}" if fraction else whole
        return self.prefix + number + self.suffix, rounded != 0


def format_number(number: float, number_format: str) -> str:
    """Return `number` as Excel shows it under `number_format`: the text a label will show.

    Covers the formats charts use (currency and unit literals, quoted or escaped with a
    backslash, thousands separators, fixed decimals, unquoted %, two or three sections);
    anything else reads as a general number.
    """
    if not math.isfinite(number) or not number_format.strip():
        return _general(number)
    sections = split_sections(number_format)
    if number < 0 and len(sections) > 1:
        section, sign = sections[1], ""  # the section writes its own sign, or none
    elif number == 0 and len(sections) > 2:
        section, sign = sections[2], ""
    else:
        section, sign = sections[0], "-" if number < 0 else ""
    pattern = parse_section(section)
    if pattern is None:
        return _general(number)
    text, nonzero = pattern.render(abs(number))
    return (sign if nonzero else "") + text


def _general(number: float) -> str:
    """A plain readable number: thousands separated, at most two decimals, no "-0"."""
    if not math.isfinite(number):
        return str(number)
    step = Decimal(1).scaleb(-_GENERAL_DECIMALS)
    rounded = Decimal(repr(float(number))).quantize(step, rounding=ROUND_HALF_UP)
    text = f"{rounded:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if rounded == 0 else text


def split_sections(number_format: str) -> list[str]:
    """Split a format on the semicolons that are neither quoted nor escaped."""
    sections: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for char in number_format:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            sections.append("".join(current))
            current = []
            continue
        current.append(char)
    sections.append("".join(current))
    return sections


def _tokenize(section: str) -> list[tuple[bool, str]] | None:
    """Return (is_digit_token, text) tokens of a section, or None for codes it does not know."""
    tokens: list[tuple[bool, str]] = []
    i = 0
    while i < len(section):
        char = section[i]
        if char == '"':
            end = section.find('"', i + 1)
            if end < 0:
                return None
            tokens.append((False, section[i + 1 : end]))
            i = end + 1
            continue
        if char in "\\_*" and i + 1 < len(section):
            # \x shows x; _x leaves x's width (a space); *x repeats x to fill (ignored).
            tokens.append((False, {"\\": section[i + 1], "_": " ", "*": ""}[char]))
            i += 2
            continue
        if char == "[":
            end = section.find("]", i)
            if end < 0:
                return None
            code = section[i + 1 : end]
            if code.startswith("$"):  # [$£-809]: a currency symbol with a locale
                tokens.append((False, code[1:].split("-")[0]))
            elif code.lower() not in _COLOUR_CODES and not code.lower().startswith("color"):
                return None  # conditions and elapsed times
            i = end + 1
            continue
        if section[i : i + len(GENERAL)].lower() == GENERAL:
            tokens.append((True, GENERAL))
            i += len(GENERAL)
            continue
        if char in _DIGIT_CHARS or char in ".,":
            tokens.append((True, char))
        elif char == "%":
            tokens.append(_PERCENT)
        elif char in _LITERAL_CHARS:
            tokens.append((False, char))
        else:
            return None  # dates, times, scientific and text (@)
        i += 1
    return tokens


def parse_section(section: str) -> NumberPattern | None:
    """Return the pattern of one format section, or None when it is not a number format."""
    tokens = _tokenize(section)
    if tokens is None:
        return None
    digit_positions = [i for i, (digit, text) in enumerate(tokens) if digit and text not in ".,"]
    multiplier = Decimal(100) ** tokens.count(_PERCENT)
    tokens = [(False, "%") if token == _PERCENT else token for token in tokens]
    if (True, GENERAL) in tokens:
        if len(digit_positions) != 1:
            return None
        at = digit_positions[0]
        prefix = "".join(text for _, text in tokens[:at])
        suffix = "".join(text for _, text in tokens[at + 1 :])
        return NumberPattern(prefix, suffix, 0, False, 0, 0, multiplier, True, general=True)
    if not digit_positions:
        text = "".join(text for _, text in tokens)
        return NumberPattern(text, "", 0, False, 0, 0, multiplier, has_digits=False)
    first, last = digit_positions[0], digit_positions[-1]
    while last + 1 < len(tokens) and tokens[last + 1] in ((True, ","), (True, ".")):
        last += 1  # trailing commas scale by 1000; a trailing point shows nothing
    if any(not digit for digit, _ in tokens[first : last + 1]):
        return None  # literals among the digits: not a format charts use
    if any(digit for digit, _ in tokens[:first]) or any(digit for digit, _ in tokens[last + 1 :]):
        return None
    prefix = "".join(text for digit, text in tokens[:first] if not digit)
    suffix = "".join(text for digit, text in tokens[last + 1 :] if not digit)
    body = "".join(text for _, text in tokens[first : last + 1])
    trimmed = body.rstrip(",")
    multiplier /= Decimal(1000) ** (len(body) - len(trimmed))
    integer, point, fraction = trimmed.partition(".")
    if "." in fraction or "," in fraction:
        return None
    fraction = fraction if point else ""
    digits = integer.replace(",", "")
    return NumberPattern(
        prefix=prefix,
        suffix=suffix,
        min_integer_digits=digits.count("0"),
        thousands="," in integer,
        min_decimals=len(fraction.rstrip("#?")),
        max_decimals=len(fraction),
        multiplier=multiplier,
        has_digits=True,
    )


def unit_of(number_format: str) -> tuple[str, str, Decimal] | None:
    """What a format says its numbers are ("£", "m", x1): two axes of one unit share a scale."""
    pattern = parse_section(split_sections(number_format)[0])
    if pattern is None or not pattern.has_digits:
        return None
    return pattern.prefix.strip(), pattern.suffix.strip(), pattern.multiplier


def positive_only(number_format: str) -> str:
    """The format with its negative section left blank: ticks below zero show nothing."""
    positive = split_sections(number_format)[0]
    return f"{positive};;{positive}"

"""deckgen: turn a workbook of programme benefits into a PowerPoint deck."""

__version__ = "0.1.0"

"""Validate the XML parts of a .pptx against the ISO/IEC 29500 transitional schemas.

PowerPoint offers to "repair" a file whose elements are out of schema order, and LibreOffice
never says so; this is how the tests find out. The schemas live in ../shared/ooxml-xsd; tests
that need them skip where that folder is absent.
"""

from __future__ import annotations

import zipfile
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import SHARED

XSD_DIR = SHARED / "ooxml-xsd"

# Root element namespace -> schema file.
SCHEMAS = {
    "http://schemas.openxmlformats.org/presentationml/2006/main": "pml.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/chart": "dml-chart.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "dml-main.xsd",
    "http://schemas.openxmlformats.org/package/2006/relationships": "opc-relationships.xsd",
    "http://schemas.openxmlformats.org/package/2006/content-types": "opc-contentTypes.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties": (
        "shared-documentPropertiesExtended.xsd"
    ),
}


def require_schemas() -> Path:
    if not (XSD_DIR / "pml.xsd").exists():
        pytest.skip("../shared/ooxml-xsd is not present")
    return XSD_DIR


@cache
def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD_DIR / name)))


def validate_xml(data: bytes, where: str = "") -> list[str]:
    """Return schema errors for one XML part ([] when valid or when no schema applies)."""
    root = etree.fromstring(data)
    namespace = etree.QName(root).namespace or ""
    name = SCHEMAS.get(namespace)
    if name is None:
        return []
    schema = _schema(name)
    if schema.validate(root):
        return []
    return [f"{where}:{e.line}: {e.message}" for e in schema.error_log]


def validate_package(path: Path, only: tuple[str, ...] = ()) -> list[str]:
    """Return schema errors for every XML part of a .pptx (or those whose names start `only`)."""
    require_schemas()
    errors: list[str] = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            if only and not name.startswith(only):
                continue
            errors.extend(validate_xml(archive.read(name), name))
    return errors

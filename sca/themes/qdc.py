"""Export a codebook as a REFI-QDA codebook file (.qdc) for QualCoder, NVivo, ATLAS.ti, MAXQDA.

The REFI-QDA Codebook standard (www.qdasoftware.org): an XML ``<CodeBook>`` in the namespace
``urn:QDA-XML:codebook:1.0`` holding nested ``<Code guid name isCodable color>`` elements with
a ``<Description>``.  Families become parent codes (not codable); themes are codable child codes.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from xml.etree import ElementTree as ET

from sca.themes.codebook import Codebook, load_codebook

QDC_NAMESPACE = "urn:QDA-XML:codebook:1.0"
_NS_UUID = uuid.UUID("5b7f0f4e-9f3c-4d1a-9a4e-2f7c1d6b8e10")  # stable guids for the same codebook
_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
            "#bcbd22", "#17becf"]


def _guid(*parts: str) -> str:
    return str(uuid.uuid5(_NS_UUID, "/".join(parts)))


def _description(theme) -> str:
    parts = [theme.definition.strip()]
    if theme.include:
        parts.append("Include: " + " ".join(theme.include))
    if theme.exclude:
        parts.append("Exclude: " + " ".join(theme.exclude))
    if theme.examples:
        parts.append("Examples: " + " | ".join(theme.examples))
    parts.append(f"[sca theme id: {theme.id}]")
    return "\n".join(parts)


def codebook_to_qdc(codebook: Codebook | str | Path | None = None) -> str:
    """The codebook as a REFI-QDA .qdc XML string."""
    cb = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
    ET.register_namespace("", QDC_NAMESPACE)
    root = ET.Element(f"{{{QDC_NAMESPACE}}}CodeBook", {"origin": f"sca codebook {cb.id} version {cb.version}"})
    codes = ET.SubElement(root, f"{{{QDC_NAMESPACE}}}Codes")
    families = list(dict.fromkeys([*cb.families, *(t.family for t in cb.themes)]))
    for fi, fam in enumerate(families):
        fam_el = ET.SubElement(codes, f"{{{QDC_NAMESPACE}}}Code", {
            "guid": _guid(cb.id, "family", fam), "name": fam, "isCodable": "false",
            "color": _COLOURS[fi % len(_COLOURS)],
        })
        if cb.families.get(fam):
            ET.SubElement(fam_el, f"{{{QDC_NAMESPACE}}}Description").text = cb.families[fam]
        for ti, theme in enumerate(t for t in cb.themes if t.family == fam):
            el = ET.SubElement(fam_el, f"{{{QDC_NAMESPACE}}}Code", {
                "guid": _guid(cb.id, "theme", theme.id), "name": theme.label, "isCodable": "true",
                "color": _COLOURS[(fi + ti) % len(_COLOURS)],
            })
            ET.SubElement(el, f"{{{QDC_NAMESPACE}}}Description").text = _description(theme)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def export_qdc(path: str | Path, codebook: Codebook | str | Path | None = None) -> Path:
    """Write the codebook to ``path`` (.qdc) and return the path."""
    p = Path(path)
    p.write_text(codebook_to_qdc(codebook), encoding="utf-8")
    return p

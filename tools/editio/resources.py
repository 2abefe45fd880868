"""Where editio's schema, stylesheets and templates live.

In a checkout they are the repository's ``schema/`` and ``xslt/`` folders (the
single source); in an installed wheel they are copies under ``editio/_data/``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """The folder ``schema``, ``xslt`` (or another shipped folder) to use."""
    shipped = _PACKAGE / "_data" / name
    if shipped.is_dir():
        return shipped
    checkout = _PACKAGE.parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"editio installation is incomplete: no {name}/ folder found")


def schema_path(filename: str = "editio.rng") -> Path:
    return data_dir("schema") / filename


def xslt_path(relative: str) -> Path:
    return data_dir("xslt") / relative


def template_dir() -> Path:
    """Templates for ``editio init`` (inside the package itself)."""
    return _PACKAGE / "templates"

"""RelaxNG validation against schema/editio.rng with precise, actionable messages.

libxml2 (through lxml) gives the verdict. Only when it rejects a file is the
grammar model of :mod:`editio.rngmodel` loaded, to say once, at the element
that causes it, what is wrong and what the schema expected there. Valid files,
the common case, cost one libxml2 validation and nothing else; the model's
names (``read_grammar``, ``datatype_ok``, ...) are still reachable from here.
"""

from __future__ import annotations

from functools import cache

from lxml import etree

from .diagnostics import Diagnostic


@cache
def _compiled_schema() -> etree.RelaxNG:
    from .resources import schema_path
    from .xmlload import load_xml

    return etree.RelaxNG(load_xml(schema_path("editio.rng")))


def check_relaxng(tree: etree._ElementTree, path: str) -> list[Diagnostic]:
    """Validate ``tree`` against editio.rng; return one precise diagnostic per problem.

    ``path`` names the file in messages and is re-read (if it exists) to give
    columns. An empty list means the document is valid.
    """
    schema = _compiled_schema()
    if schema.validate(tree):
        # The verdict is libxml2's; the model walk only explains a failure.
        # The grammar avoids the constructs libxml2 mis-handles, and tests pin
        # its verdict to jing's on every fixture and on thousands of random
        # edits, so valid documents skip the (slower) walk.
        return []
    from .rngmodel import explain

    return explain(tree, path, schema.error_log)


def __getattr__(name: str):
    # The grammar model used to live here; keep its names importable from this module.
    if name.startswith("__"):
        raise AttributeError(name)
    from . import rngmodel

    try:
        return getattr(rngmodel, name)
    except AttributeError:
        raise AttributeError(f"module 'editio.rngcheck' has no attribute {name!r}") from None

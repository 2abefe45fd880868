"""editio: annotated TEI-XML scholarly editions.

The public API is imported lazily so that ``editio --help`` starts fast:
``editio.validate(paths) -> Report`` (``cache=editio.ValidationCache.load(path)``
skips unchanged files) and friends load their modules only when first used.
(The validator lives in ``editio.validation`` so that importing it never
shadows the ``editio.validate`` function with a module.) Commands with heavy
dependencies have their own modules: ``editio.build.build``,
``editio.html.write_site``, ``editio.pdf.render_pdf``.
"""

from __future__ import annotations

__version__ = "0.1.0"

# name -> (module, attribute); resolved on first access by __getattr__.
_LAZY = {
    "validate": ("editio.validation", "validate"),
    "ValidationCache": ("editio.validation", "ValidationCache"),
    "Report": ("editio.diagnostics", "Report"),
    "Diagnostic": ("editio.diagnostics", "Diagnostic"),
    "EditioError": ("editio.diagnostics", "EditioError"),
    "load_xml": ("editio.xmlload", "load_xml"),
    "load_config": ("editio.config", "load_config"),
    "Edition": ("editio.edition", "Edition"),
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str):
    try:
        module_name, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'editio' has no attribute {name!r}") from None
    import importlib

    value = getattr(importlib.import_module(module_name), attr)
    globals()[name] = value
    return value

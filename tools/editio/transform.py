"""Running XSLT 3.0 with saxonche: one processor per process, each stylesheet compiled once.

saxonche is imported here and only here, on first use, so commands that do not
transform (``editio --help``, ``editio validate``) never pay for it.
"""

from __future__ import annotations

import re
import threading
from functools import cache
from pathlib import Path

from .diagnostics import EditioError, Diagnostic, ERROR
from .resources import xslt_path

_lock = threading.Lock()


@cache
def processor():
    """The process-wide Saxon processor (created on first use)."""
    from saxonche import PySaxonProcessor

    return PySaxonProcessor(license=False)


def _xdm_value(proc, value):
    if type(value).__module__.startswith("saxonche"):  # an already-built XDM value (e.g. a parsed document)
        return value
    if isinstance(value, bool):
        return proc.make_boolean_value(value)
    if isinstance(value, int):
        return proc.make_integer_value(value)
    if isinstance(value, (list, tuple)):
        return proc.make_array([_xdm_value(proc, v) for v in value])
    return proc.make_string_value(str(value))


class Stylesheet:
    """A compiled stylesheet; call :meth:`run` for each document."""

    def __init__(self, path: Path):
        self.path = Path(path)
        proc = processor()
        compiler = proc.new_xslt30_processor()
        try:
            self.executable = compiler.compile_stylesheet(stylesheet_file=str(self.path))
        except Exception as exc:  # a broken stylesheet is an editio bug
            raise EditioError(Diagnostic(str(self.path), 0, 0, ERROR, f"stylesheet does not compile: {exc}",
                                         "xslt.compile", "this is a bug in editio")) from None
        if self.executable is None:
            raise EditioError(Diagnostic(str(self.path), 0, 0, ERROR, "stylesheet does not compile",
                                         "xslt.compile", "this is a bug in editio"))

    def run(self, source: str | Path | None = None, *, xml_text: str | None = None,
            params: dict | None = None, initial_template: str | None = None,
            base_output: str | Path | None = None, xdm_node=None,
            text_results: bool = False, as_node: bool = False,
            results_dir: str | Path | None = None, initial_mode: str | None = None,
            method: str | None = None) -> tuple[str, dict[str, str]]:
        """Transform ``source`` (a file) or ``xml_text``; return (principal result, secondary results).

        Secondary results (``xsl:result-document``) are captured, not written:
        the caller decides where files go, so a failed build writes nothing.
        Keys of the dict are the result URIs relative to ``base_output``.
        ``xdm_node`` is an already parsed input document (see :func:`parse_text`);
        with ``text_results`` each secondary result is taken as its string value
        (for result documents written with ``method="text"``, e.g. the output of
        ``serialize()``), not re-serialized as XML. With ``as_node`` the principal
        result is returned as an XDM node, not serialized (for a result that
        feeds another transformation).
        With ``results_dir`` Saxon writes the secondary results into that folder
        itself (serializing straight to the file is much faster than capturing a
        large result and handing it over as a string) and none are returned.
        ``initial_mode`` (a Clark name, ``{uri}local``) picks the mode the source is
        processed in, and ``method`` overrides the serialization method of the
        principal result (for a stylesheet that makes several kinds of output).
        """
        proc = processor()
        with _lock:
            ex = self.executable
            ex.clear_properties()  # the initial mode and serialization of an earlier run
            if initial_mode:
                ex.set_initial_mode(initial_mode)
            if method:
                ex.set_property("!method", method)
            ex.clear_parameters()
            for name, value in (params or {}).items():
                ex.set_parameter(name, _xdm_value(proc, value))
            base = Path(results_dir or base_output or Path.cwd() / "_out").resolve()
            ex.set_base_output_uri(base.as_uri() + "/")
            ex.set_capture_result_documents(results_dir is None)
            ex.set_save_xsl_message(True)
            try:
                if initial_template:
                    if source is not None:
                        ex.set_global_context_item(xdm_item=proc.parse_xml(xml_file_name=str(source)))
                    if as_node:
                        value = ex.call_template_returning_value(initial_template)
                        out = value.head if value is not None else None
                    else:
                        out = ex.call_template_returning_string(initial_template)
                else:
                    if xdm_node is not None:
                        doc = xdm_node
                    elif xml_text is not None:
                        doc = proc.parse_xml(xml_text=xml_text)
                    else:
                        doc = proc.parse_xml(xml_file_name=str(Path(source).resolve()))
                    if as_node:
                        value = ex.transform_to_value(xdm_node=doc)
                        out = value.head if value is not None else None
                    else:
                        out = ex.transform_to_string(xdm_node=doc)
            except Exception as exc:
                raise EditioError(Diagnostic(str(source or self.path), 0, 0, ERROR,
                                             f"transformation failed: {exc}", "xslt.run",
                                             "this is a bug in editio unless the message names your file")) from None
            results = {}
            docs = (ex.get_result_documents() or {}) if results_dir is None else {}
            for uri, value in docs.items():
                path = Path("/" + re.sub(r"^file:/*", "", str(uri)))
                try:
                    key = path.relative_to(base).as_posix()
                except ValueError:
                    key = str(uri)
                if text_results:
                    results[key] = value.head.string_value if value.head is not None else ""
                else:
                    results[key] = str(value)
            return (out if as_node else out or ""), results

    def messages(self) -> list[str]:
        """xsl:message output of the last run."""
        msgs = self.executable.get_xsl_messages() or []
        return [str(m) for m in msgs]


def parse_text(xml_text: str):
    """Parse XML text (already checked by the safe loader) into an XDM document node."""
    return processor().parse_xml(xml_text=xml_text)


@cache
def stylesheet(relative: str) -> Stylesheet:
    """The compiled stylesheet at ``xslt/<relative>``, compiled once per process."""
    return Stylesheet(xslt_path(relative))

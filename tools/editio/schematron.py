"""A small ISO Schematron engine on lxml, with editio's cross-file functions.

Why not lxml.isoschematron or a Schematron-to-XSLT compiler on saxonche? The
first reports locations as XPaths, not lines; the second costs a Saxon
processor start (~0.13 s) per run, more than the whole validation budget.
This engine evaluates editio.sch's rules with lxml's XPath directly, so every
failure carries the element's line, and the ``ed:`` functions see the whole
edition (all files being validated together).

The rule XPaths in editio.sch are written in the common subset of XPath 1.0
and 2.0, and the schema declares the ``ed:`` functions as ``xsl:function``s,
so oXygen and other editors can run the same file while the encoder types
(there the cross-file checks see only the open file and what it loads).

Supported: ns, pattern, rule/@context, assert, report, @id, @role,
value-of, name, diagnostics (used as the "how to fix" hint), let (global and
rule-level, XPath 1.0).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from lxml import etree

from .diagnostics import ERROR, WARNING, Diagnostic
from .locate import element_column, local_qname
from .xmlload import load_xml

SCH = "http://purl.oclc.org/dsdl/schematron"
ED = "https://editio.dev/ns/functions"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
EXTERNAL = re.compile(r"^(https?|mailto|urn|doi):", re.I)
ISO_DATE = re.compile(r"^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$")


@dataclass
class Check:
    """One assert or report of a rule."""

    test: etree.XPath
    #: Filters the rule's context nodes (passed as a variable) to those for which this check fires.
    failing: etree.XPath
    is_assert: bool
    rule_id: str
    severity: str
    message: list  # text and ("value-of", XPath) / ("name",) parts
    hint: str


@dataclass
class Rule:
    context: etree.XPath
    context_text: str
    lets: list[tuple[str, etree.XPath]]
    checks: list[Check]


@dataclass
class Pattern:
    id: str
    rules: list[Rule] = field(default_factory=list)


def is_real_date(value: str) -> bool:
    """An ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD, optional time) that exists in the calendar."""
    m = ISO_DATE.match(value.strip())
    if not m:
        return False
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else 1
    day = int(m.group(3)) if m.group(3) else 1
    if not 1 <= month <= 12:
        return False
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return False
    if m.group(4):
        if int(m.group(4)) > 23 or int(m.group(5)) > 59 or (m.group(6) and int(m.group(6)) > 59):
            return False
    return True


def date_bound(value: str, upper: bool) -> str:
    """Expand a partial ISO date to the first (or last) day it covers, for comparison."""
    m = ISO_DATE.match(value.strip())
    if not m:
        return value
    y, mo, d = m.group(1), m.group(2), m.group(3)
    if mo is None:
        return f"{y}-12-31" if upper else f"{y}-01-01"
    if d is None:
        if not upper:
            return f"{y}-{mo}-01"
        return f"{y}-{mo}-{calendar.monthrange(int(y), int(mo))[1]:02d}"
    return f"{y}-{mo}-{d}"


#: The XPath variable that carries a rule's context nodes to its asserts.
_CONTEXT = "editio-context"

_WITH_ID = etree.XPath("//*[@xml:id]")
_POINTERS = etree.XPath("//@ref | //@target | //@corresp | //@resp | //@who")


class EditionIndex:
    """Ids and pointers of every file validated together (the cross-file view)."""

    def __init__(self, trees: dict[str, etree._ElementTree]):
        self.trees = trees
        self._targets: dict[tuple[str, str], str] = {}
        self._resolved: dict[tuple[str, str], tuple[str, str] | None] = {}
        self.key_of_tree = {id(t.getroot()): k for k, t in trees.items()}
        self.ids: dict[str, dict[str, etree._Element]] = {}
        self.id_uses: dict[str, list[tuple[str, int]]] = {}
        self.pointed: set[tuple[str, str]] = set()
        for key, tree in trees.items():
            table = self.ids.setdefault(key, {})
            for el in _WITH_ID(tree):
                xid = el.get(XML_ID)
                table.setdefault(xid, el)
                self.id_uses.setdefault(xid, []).append((key, el.sourceline or 0))
        for key, tree in trees.items():
            for value in _POINTERS(tree):
                for token in value.split():
                    hit = self.resolve(key, token)
                    if hit:
                        self.pointed.add(hit)

    def resolve(self, from_key: str, token: str) -> tuple[str, str] | None:
        """(file key, id) that ``token`` points to, or None if it points nowhere known."""
        if "#" not in token:
            return None
        file_part, frag = token.split("#", 1)
        if not file_part:
            frag = unquote(frag)
            return (from_key, frag) if frag in self.ids.get(from_key, ()) else None
        key = (from_key.rsplit("/", 1)[0], token)
        if key not in self._resolved:
            target, frag = self._target(from_key, file_part), unquote(frag)
            self._resolved[key] = (target, frag) if frag in self.ids.get(target, ()) else None
        return self._resolved[key]

    def _target(self, from_key: str, file_part: str) -> str:
        """The key of the file ``file_part`` names, relative to ``from_key`` (cached: resolving touches the disk)."""
        base = from_key.rsplit("/", 1)[0]
        cached = self._targets.get((base, file_part))
        if cached is None:
            cached = self._targets[(base, file_part)] = str((Path(base) / unquote(file_part)).resolve())
        return cached

    def unresolved(self, from_key: str, value: str) -> list[str]:
        bad = []
        for token in value.split():
            if EXTERNAL.match(token):
                continue
            if "#" not in token:
                if not (Path(from_key).parent / unquote(token)).exists():
                    bad.append(token)
            elif self.resolve(from_key, token) is None:
                bad.append(token)
        return bad


def _text(args) -> str:
    """First value of an XPath argument as a string."""
    v = args[0] if args else ""
    if isinstance(v, list):
        v = v[0] if v else ""
    if isinstance(v, etree._Element):
        return v.text or ""
    return str(v)


class SchematronEngine:
    """Compiled Schematron rules; :meth:`check` runs them on an edition."""

    def __init__(self, schema: Path):
        doc = load_xml(schema).getroot()
        self.ns = {n.get("prefix"): n.get("uri") for n in doc.iterfind(f"{{{SCH}}}ns")}
        self.ns.setdefault("ed", ED)
        self._index: EditionIndex | None = None
        self._current_key = ""
        ext = {
            (ED, "unresolved"): self._fn_unresolved,
            (ED, "id-count"): self._fn_id_count,
            (ED, "id-places"): self._fn_id_places,
            (ED, "is-date"): lambda ctx, *a: is_real_date(_text(a)),
            (ED, "date-le"): lambda ctx, a, b: date_bound(_text([a]), False) <= date_bound(_text([b]), True),
            (ED, "referenced"): self._fn_referenced,
        }
        self._ext = ext
        diagnostics = {d.get("id"): " ".join("".join(d.itertext()).split())
                       for d in doc.iter(f"{{{SCH}}}diagnostic")}
        self.global_lets = [(l.get("name"), self._xpath(l.get("value"))) for l in doc.iterfind(f"{{{SCH}}}let")]
        self.patterns: list[Pattern] = []
        for p in doc.iterfind(f"{{{SCH}}}pattern"):
            pattern = Pattern(p.get("id", ""))
            for r in p.iterfind(f"{{{SCH}}}rule"):
                context = r.get("context")
                select = " | ".join("//" + part.strip().lstrip("/") if not part.strip().startswith("/") else part.strip()
                                    for part in _split_union(context))
                lets = [(l.get("name"), self._xpath(l.get("value"))) for l in r.iterfind(f"{{{SCH}}}let")]
                checks = []
                for c in r:
                    if c.tag not in (f"{{{SCH}}}assert", f"{{{SCH}}}report"):
                        continue
                    role = (c.get("role") or "error").lower()
                    hint = " ".join(diagnostics.get(d, "") for d in (c.get("diagnostics") or "").split()).strip()
                    test = c.get("test")
                    fires = f"not({test})" if c.tag == f"{{{SCH}}}assert" else f"boolean({test})"
                    checks.append(Check(self._xpath(test), self._xpath(f"${_CONTEXT}[{fires}]"),
                                        c.tag == f"{{{SCH}}}assert",
                                        c.get("id") or pattern.id, WARNING if role in ("warning", "warn", "info") else ERROR,
                                        self._message(c), hint))
                pattern.rules.append(Rule(self._xpath(select), context, lets, checks))
            self.patterns.append(pattern)

    def _xpath(self, expr: str) -> etree.XPath:
        return etree.XPath(expr, namespaces=self.ns, extensions=self._ext, smart_strings=True)

    def _message(self, el) -> list:
        parts: list = []
        if el.text:
            parts.append(el.text)
        for child in el:
            if child.tag == f"{{{SCH}}}value-of":
                parts.append(("value-of", self._xpath(child.get("select"))))
            elif child.tag == f"{{{SCH}}}name":
                parts.append(("name",))
            else:
                parts.append("".join(child.itertext()))
            if child.tail:
                parts.append(child.tail)
        return parts

    # -- ed: functions ---------------------------------------------------
    def _fn_unresolved(self, ctx, value):
        text = _text([value])
        key = (self._current_key, text)
        cached = self._unresolved_cache.get(key)
        if cached is None:
            cached = self._unresolved_cache[key] = " ".join(self._index.unresolved(self._current_key, text))
        return cached

    def _fn_id_count(self, ctx, value):
        return float(len(self._index.id_uses.get(_text([value]), [])))

    def _fn_id_places(self, ctx, value):
        uses = self._index.id_uses.get(_text([value]), [])
        return ", ".join(f"{Path(k).name}:{line}" for k, line in uses)

    def _fn_referenced(self, ctx, value):
        return (self._current_key, _text([value])) in self._index.pointed

    # -- running ---------------------------------------------------------
    def check(self, trees: dict[str, etree._ElementTree], report_keys: set[str] | None = None,
              names: dict[str, str] | None = None) -> list[Diagnostic]:
        """Run every rule on every tree; ``trees`` maps an absolute path to its tree.

        Only files in ``report_keys`` (default: all) are reported on, as
        ``names[key]`` (default: the key); the others serve cross-references.
        """
        self._index = EditionIndex(trees)
        self._unresolved_cache: dict[tuple[str, str], str] = {}
        out: list[Diagnostic] = []
        names = names or {}
        for key, tree in trees.items():
            if report_keys is not None and key not in report_keys:
                continue
            self._current_key = key
            shown = names.get(key, key)
            variables = {name: xp(tree) for name, xp in self.global_lets}
            for pattern in self.patterns:
                out.extend(self._run_pattern(pattern, tree, shown, variables))
        self._index = None
        return out

    def _run_pattern(self, pattern: Pattern, tree, shown: str, variables: dict) -> list[Diagnostic]:
        """Fire each rule on the nodes no earlier rule of the pattern matched (Schematron's rule order).

        The context is selected once per rule; a rule without its own
        variables is then checked in bulk: each assert filters that node set
        in one XPath call (``$context[not(test)]``), instead of one call per
        node or one scan of the document per assert.
        """
        out = []
        earlier: set[int] = set()
        keep_alive = []  # ids of lxml proxies are only stable while they live
        for rule in pattern.rules:
            nodes = [n for n in rule.context(tree, **variables) if isinstance(n, etree._Element)]
            keep_alive.append(nodes)
            if earlier:
                nodes = [n for n in nodes if id(n) not in earlier]
            if rule.lets:
                for node in nodes:
                    local = dict(variables)
                    for name, xp in rule.lets:
                        local[name] = xp(node, **local)
                    for check in rule.checks:
                        if bool(check.test(node, **local)) != check.is_assert:
                            out.append(self._diagnostic(shown, node, check, local))
            elif nodes:
                for check in rule.checks:
                    failing = check.failing(tree, **{_CONTEXT: nodes}, **variables)
                    out.extend(self._diagnostic(shown, n, check, variables) for n in failing[:MAX_PER_RULE])
                    if len(failing) > MAX_PER_RULE:
                        out.append(self._more(shown, out[-1], check, len(failing) - MAX_PER_RULE))
            if len(pattern.rules) > 1:
                earlier.update(id(n) for n in nodes)
        return out

    @staticmethod
    def _more(path: str, last: Diagnostic, check: Check, count: int) -> Diagnostic:
        return Diagnostic(path, last.line, last.col, last.severity,
                          f"{count} more [{check.rule_id}] problems in this file are not listed",
                          check.rule_id, "fix the ones listed and validate again")

    def _diagnostic(self, path: str, node, check: Check, variables) -> Diagnostic:
        parts = []
        for part in check.message:
            if isinstance(part, str):
                parts.append(part)
            elif part[0] == "name":
                parts.append(local_qname(node))
            else:
                value = part[1](node, **variables)
                if isinstance(value, list):
                    value = " ".join(str(v) if not isinstance(v, etree._Element) else (v.text or "") for v in value)
                elif isinstance(value, float) and value.is_integer():
                    value = int(value)
                parts.append(str(value))
        message = " ".join("".join(parts).split())
        line = node.sourceline or 0
        col = element_column(path, line, local_qname(node)) if line else 0
        return Diagnostic(path, line, col, check.severity, message, check.rule_id, check.hint)


#: Findings of one rule in one file beyond this are summarised, not listed.
MAX_PER_RULE = 200


def _split_union(expr: str) -> list[str]:
    """Split a match pattern on top-level '|' (not inside predicates or strings)."""
    parts, depth, quote, buf = [], 0, "", []
    for ch in expr:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append("".join(buf))
            buf = []
            continue
        buf.append(ch)
    parts.append("".join(buf))
    return [p for p in parts if p.strip()]


@cache
def engine(schema: str) -> SchematronEngine:
    """The compiled engine for a schema file (compiled once per process)."""
    return SchematronEngine(Path(schema))

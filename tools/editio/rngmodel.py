"""The RelaxNG grammar read into a model, and the walk that explains why a document fails.

libxml2 (through lxml) gives the verdict, but its messages are vague ("Element p
failed to validate content") and repeated on every ancestor. So the grammar is
also read once into a small model (per element: allowed children as an automaton,
attributes, closed value lists, datatypes) and each rejected document is walked
against it: every problem is reported once, at the element that causes it,
naming the element, its parent and what the schema expected there.

Only :func:`editio.rngcheck.check_relaxng` imports this module, and only when
libxml2 rejects a file: valid editions never pay for reading it.
"""

from __future__ import annotations

import calendar
import difflib
import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from lxml import etree

from .diagnostics import ERROR, Diagnostic
from .xmlload import load_xml

RNG_NS = "http://relaxng.org/ns/structure/1.0"
ANN_NS = "http://relaxng.org/ns/compatibility/annotations/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
TEI_NS = "http://www.tei-c.org/ns/1.0"
_R = "{%s}" % RNG_NS
_XML_ID = "{%s}id" % XML_NS
_DOC = "{%s}documentation" % ANN_NS

#: How many expected names a message lists before saying "and N more".
MAX_LISTED = 14
#: After this many problems in one file the walk stops: fix these first.
MAX_DIAGNOSTICS = 200


# ---------------------------------------------------------------------------
# The grammar model
# ---------------------------------------------------------------------------

@dataclass
class AttributeSpec:
    """What the grammar says about one attribute of one element."""

    name: str  # Clark notation, as lxml's ``attrib`` keys
    required: bool = False
    #: Closed list of values (value -> documentation); empty when the value is free.
    values: dict[str, str] = field(default_factory=dict)
    #: XSD datatypes the value may have: (type, pattern or None).
    datatypes: list[tuple[str, str | None]] = field(default_factory=list)
    #: True if the value is a whitespace-separated list of tokens.
    is_list: bool = False
    #: True if any string is allowed (``<text/>`` or no pattern at all).
    any_text: bool = False
    doc: str = ""

    @property
    def display(self) -> str:
        return "@" + display_name(self.name)

    def merge(self, other: "AttributeSpec") -> None:
        self.required = self.required and other.required
        for k, v in other.values.items():
            self.values.setdefault(k, v)
        self.datatypes += [d for d in other.datatypes if d not in self.datatypes]
        self.is_list = self.is_list or other.is_list
        self.any_text = self.any_text or other.any_text
        self.doc = self.doc or other.doc


@dataclass
class ElementSpec:
    """What the grammar says about one element: content, attributes, documentation."""

    name: str  # Clark notation
    define: str = ""
    doc: str = ""
    content: tuple = ("empty",)
    attributes: dict[str, AttributeSpec] = field(default_factory=dict)
    text_allowed: bool = False
    #: Datatypes when the content is a single typed value (e.g. geo's coordinates).
    content_data: list[tuple[str, str | None]] = field(default_factory=list)
    _nfa: "_NFA | None" = None
    _children: set[str] | None = None

    @cached_property
    def display(self) -> str:
        return display_name(self.name)

    @cached_property
    def required(self) -> list[str]:
        """Names of the attributes the element must have (read after the grammar is complete)."""
        return [k for k, a in self.attributes.items() if a.required]

    @property
    def children(self) -> set[str]:
        if self._children is None:
            self._children = set(_leaves(self.content))
        return self._children

    @property
    def nfa(self) -> "_NFA":
        if self._nfa is None:
            self._nfa = _NFA.build(self.content)
        return self._nfa


@dataclass
class GrammarModel:
    """A RelaxNG grammar read into per-element facts; built once per schema file."""

    path: str
    elements: dict[str, ElementSpec]
    start: tuple
    _start_nfa: "_NFA | None" = None
    _parents: dict[str, list[str]] | None = None

    @property
    def start_nfa(self) -> "_NFA":
        if self._start_nfa is None:
            self._start_nfa = _NFA.build(self.start)
        return self._start_nfa

    def parents_of(self, name: str) -> list[str]:
        """Elements whose content may contain ``name`` (sorted, display names)."""
        if self._parents is None:
            self._parents = {}
            for e in self.elements.values():
                for child in e.children:
                    self._parents.setdefault(child, []).append(e.display)
        return sorted(self._parents.get(name, []))


def display_name(clark: str) -> str:
    """``{tei-ns}persName`` -> ``persName``; ``{xml-ns}id`` -> ``xml:id``; others keep their namespace."""
    if clark.startswith("{"):
        ns, local = clark[1:].split("}", 1)
        if ns == TEI_NS or ns == "":
            return local
        if ns == XML_NS:
            return "xml:" + local
        return f"{local} (namespace {ns})"
    return clark


def _documentation(node: etree._Element) -> str:
    for child in node:
        if child.tag == _DOC:
            return " ".join((child.text or "").split())
    return ""


def _qname(node: etree._Element, is_attribute: bool) -> str | None:
    """The Clark name a RelaxNG element/attribute pattern matches (None for wildcards)."""
    name = node.get("name")
    ns = node.get("ns")
    if name is None:
        nc = node.find(_R + "name")
        if nc is None:
            return None
        name = (nc.text or "").strip()
        ns = nc.get("ns", ns)
    if ":" in name:
        prefix, local = name.split(":", 1)
        uri = XML_NS if prefix == "xml" else node.nsmap.get(prefix, "")
        return "{%s}%s" % (uri, local)
    if ns is None:
        if is_attribute:
            ns = ""
        else:
            ancestor = node.getparent()
            while ancestor is not None and ancestor.get("ns") is None:
                ancestor = ancestor.getparent()
            ns = ancestor.get("ns") if ancestor is not None else ""
    return "{%s}%s" % (ns, name) if ns else name


class _Reader:
    """Turns a RelaxNG grammar into content trees, attribute specs and element specs."""

    def __init__(self, root: etree._Element):
        self.defines: dict[str, list[etree._Element]] = {}
        for d in root.iter(_R + "define"):
            self.defines.setdefault(d.get("name"), []).append(d)
        self.elements: dict[str, ElementSpec] = {}
        self._memo: dict[str, tuple] = {}
        self._attr_memo: dict[tuple[str, bool], list[AttributeSpec]] = {}
        self._text_memo: dict[int, bool] = {}
        # Element contents are read after the pattern that mentions the element,
        # so no define is ever half-expanded when another one refers to it.
        self._pending: list[tuple[etree._Element, ElementSpec]] = []
        start = root.find(_R + "start")
        self.start = self._seq(start) if start is not None else ("empty",)
        self._drain()
        # Elements that are only reachable through defines not used by <start>
        # still belong to the grammar's vocabulary.
        for name in list(self.defines):
            self._ref(name)
            self._drain()

    def _drain(self) -> None:
        while self._pending:
            node, spec = self._pending.pop()
            spec.content = self._seq(node)
            spec.text_allowed = self._has_text(spec.content)
            spec.content_data = self._content_data(node)
            self._attributes(node, spec)

    def _has_text(self, tree: tuple) -> bool:
        """Whether text may occur in a content tree (outside child elements); cached per subtree."""
        key = id(tree)
        found = self._text_memo.get(key)
        if found is None:
            kind = tree[0]
            if kind in ("seq", "choice"):
                found = any(self._has_text(t) for t in tree[1])
            elif kind in ("opt", "star", "plus"):
                found = self._has_text(tree[1])
            else:
                found = kind == "text"
            self._text_memo[key] = found
        return found

    def _ref(self, name: str) -> tuple:
        if name not in self._memo:
            self._memo[name] = ("never",)  # guards against (invalid) recursion
            bodies = [self._seq(d) for d in self.defines.get(name, [])]
            self._memo[name] = bodies[0] if len(bodies) == 1 else ("choice", bodies)
        return self._memo[name]

    def _seq(self, node: etree._Element) -> tuple:
        parts = [self._pattern(c) for c in node if isinstance(c.tag, str) and c.tag.startswith(_R)]
        parts = [p for p in parts if p is not None]
        if not parts:
            return ("empty",)
        return parts[0] if len(parts) == 1 else ("seq", parts)

    def _pattern(self, node: etree._Element) -> tuple | None:
        kind = node.tag[len(_R):]
        if kind == "element":
            return self._element(node)
        if kind == "ref" or kind == "parentRef":
            return self._ref(node.get("name"))
        if kind in ("group", "define", "start"):
            return self._seq(node)
        if kind == "choice":
            return ("choice", [p for p in (self._pattern(c) for c in node if _is_rng(c)) if p is not None])
        if kind == "interleave":
            return ("star", ("choice", [p for p in (self._pattern(c) for c in node if _is_rng(c)) if p is not None]))
        if kind == "optional":
            return ("opt", self._seq(node))
        if kind == "zeroOrMore":
            return ("star", self._seq(node))
        if kind == "oneOrMore":
            return ("plus", self._seq(node))
        if kind == "mixed":
            return ("seq", [("text",), self._seq(node)])
        if kind in ("text", "data", "value", "list"):
            return ("text",)
        if kind == "empty" or kind == "attribute":
            return ("empty",)
        if kind == "notAllowed":
            return ("never",)
        return None  # name classes, params, foreign annotations

    def _element(self, node: etree._Element) -> tuple:
        name = _qname(node, is_attribute=False)
        if name is None:
            return ("any",)
        if name not in self.elements:
            parent = node.getparent()
            define = parent.get("name") if parent is not None and parent.tag == _R + "define" else ""
            doc = _documentation(node) or (_documentation(parent) if define else "")
            spec = ElementSpec(name, define, doc)
            self.elements[name] = spec
            self._pending.append((node, spec))
        return ("el", name)

    def _content_data(self, node: etree._Element) -> list[tuple[str, str | None]]:
        found = []
        for c in node:
            if c.tag == _R + "data":
                found.append(_datatype(c))
            elif c.tag == _R + "ref":
                for d in self.defines.get(c.get("name"), []):
                    if len(d.findall(_R + "data")) == 1 and d.find(_R + "element") is None:
                        found.append(_datatype(d.find(_R + "data")))
        return found

    def _attributes(self, node: etree._Element, spec: ElementSpec) -> None:
        for attr in self._collect(node, False, frozenset()):
            mine = AttributeSpec(attr.name, attr.required, dict(attr.values), list(attr.datatypes),
                                 attr.is_list, attr.any_text, attr.doc)
            if attr.name in spec.attributes:
                spec.attributes[attr.name].merge(mine)
            else:
                spec.attributes[attr.name] = mine

    def _collect(self, node: etree._Element, optional: bool, seen: frozenset) -> list[AttributeSpec]:
        """The attributes a pattern declares (not those of nested elements); cached per define."""
        out: list[AttributeSpec] = []
        for c in node:
            if not _is_rng(c):
                continue
            kind = c.tag[len(_R):]
            if kind == "attribute":
                attr = self._attribute(c, optional)
                if attr is not None:
                    out.append(attr)
            elif kind == "ref":
                name = c.get("name")
                if name in seen:
                    continue
                key = (name, optional)
                if key not in self._attr_memo:
                    self._attr_memo[key] = [a for d in self.defines.get(name, [])
                                            for a in self._collect(d, optional, seen | {name})]
                out += self._attr_memo[key]
            elif kind in ("optional", "zeroOrMore", "choice"):
                out += self._collect(c, True, seen)
            elif kind in ("group", "oneOrMore", "interleave", "mixed"):
                out += self._collect(c, optional, seen)
        return out

    def _attribute(self, node: etree._Element, optional: bool) -> AttributeSpec | None:
        name = _qname(node, is_attribute=True)
        if name is None:
            return None
        attr = AttributeSpec(name, required=not optional, doc=_documentation(node))
        self._values(node, attr, set())
        if not attr.values and not attr.datatypes:
            attr.any_text = True
        return attr

    def _values(self, node: etree._Element, attr: AttributeSpec, seen: set) -> None:
        children = [c for c in node if isinstance(c.tag, str)]
        for i, c in enumerate(children):
            if not _is_rng(c):
                continue
            kind = c.tag[len(_R):]
            if kind == "value":
                doc = ""
                if i + 1 < len(children) and children[i + 1].tag == _DOC:
                    doc = " ".join((children[i + 1].text or "").split())
                attr.values[" ".join((c.text or "").split())] = doc
            elif kind == "data":
                attr.datatypes.append(_datatype(c))
            elif kind == "text":
                attr.any_text = True
            elif kind == "list":
                attr.is_list = True
                self._values(c, attr, seen)
            elif kind == "ref":
                name = c.get("name")
                if name not in seen:
                    for d in self.defines.get(name, []):
                        if not attr.doc:
                            attr.doc = _documentation(d)
                        self._values(d, attr, seen | {name})
            elif kind in ("choice", "group", "oneOrMore", "zeroOrMore", "optional"):
                self._values(c, attr, seen)


def _is_rng(node) -> bool:
    return isinstance(node.tag, str) and node.tag.startswith(_R)


def _datatype(node: etree._Element) -> tuple[str, str | None]:
    param = node.find(_R + "param[@name='pattern']")
    return node.get("type", "token"), (param.text if param is not None else None)


def _leaves(tree: tuple):
    kind = tree[0]
    if kind == "el":
        yield tree[1]
    elif kind in ("seq", "choice"):
        for t in tree[1]:
            yield from _leaves(t)
    elif kind in ("opt", "star", "plus"):
        yield from _leaves(tree[1])


def read_grammar(path: str | Path) -> GrammarModel:
    """Read a RelaxNG grammar (XML syntax) into a :class:`GrammarModel`."""
    root = load_xml(path).getroot()
    reader = _Reader(root)
    return GrammarModel(str(path), reader.elements, reader.start)


# ---------------------------------------------------------------------------
# Content automaton (Thompson NFA over child element names)
# ---------------------------------------------------------------------------

class _NFA:
    """Matches the sequence of an element's children against its content model."""

    def __init__(self):
        self.eps: list[list[int]] = []
        self.moves: list[list[tuple[str, int]]] = []
        self.start = self.accept = 0
        self._steps: dict[tuple[frozenset[int], str], frozenset[int]] = {}
        self._initial: frozenset[int] | None = None
        self._closures: dict[int, frozenset[int]] = {}
        self._by_name: dict[str, list[tuple[int, int]]] | None = None

    def _state(self) -> int:
        self.eps.append([])
        self.moves.append([])
        return len(self.eps) - 1

    @classmethod
    def build(cls, tree: tuple) -> "_NFA":
        nfa = cls()
        nfa.start, nfa.accept = nfa._build(tree)
        return nfa

    def _build(self, tree: tuple) -> tuple[int, int]:
        kind = tree[0]
        s, e = self._state(), self._state()
        if kind == "el":
            self.moves[s].append((tree[1], e))
        elif kind == "any":
            self.moves[s].append(("*", e))
        elif kind in ("empty", "text"):
            self.eps[s].append(e)
        elif kind == "never":
            pass
        elif kind == "seq":
            cur = s
            for part in tree[1]:
                ps, pe = self._build(part)
                self.eps[cur].append(ps)
                cur = pe
            self.eps[cur].append(e)
        elif kind == "choice":
            for part in tree[1]:
                ps, pe = self._build(part)
                self.eps[s].append(ps)
                self.eps[pe].append(e)
        else:  # opt, star, plus
            ps, pe = self._build(tree[1])
            self.eps[s].append(ps)
            self.eps[pe].append(e)
            if kind in ("opt", "star"):
                self.eps[s].append(e)
            if kind in ("star", "plus"):
                self.eps[pe].append(ps)
        return s, e

    def closure(self, states) -> frozenset[int]:
        out: set[int] = set()
        for s in states:
            out |= self._close(s)
        return frozenset(out)

    def _close(self, state: int) -> frozenset[int]:
        """States reachable from ``state`` by empty moves (cached per state)."""
        found = self._closures.get(state)
        if found is None:
            stack, seen = [state], {state}
            while stack:
                for t in self.eps[stack.pop()]:
                    if t not in seen:
                        seen.add(t)
                        stack.append(t)
            found = self._closures[state] = frozenset(seen)
        return found

    def initial(self) -> frozenset[int]:
        if self._initial is None:
            self._initial = self.closure([self.start])
        return self._initial

    def step(self, states: frozenset[int], name: str) -> frozenset[int]:
        key = (states, name)
        found = self._steps.get(key)
        if found is None:
            if self._by_name is None:
                self._by_name = {}
                for s, moves in enumerate(self.moves):
                    for n, t in moves:
                        self._by_name.setdefault(n, []).append((s, t))
            edges = self._by_name.get(name, []) + self._by_name.get("*", [])
            found = self.closure([t for s, t in edges if s in states])
            self._steps[key] = found
        return found

    def expected(self, states: frozenset[int]) -> set[str]:
        return {n for s in states for (n, _) in self.moves[s]}

    def accepts(self, states: frozenset[int]) -> bool:
        return self.accept in states


# ---------------------------------------------------------------------------
# Datatypes (the XSD types editio.rng uses, checked as libxml2 and jing do)
# ---------------------------------------------------------------------------

_TZ = r"(?:Z|[+-](?:0\d|1[0-3]):[0-5]\d|[+-]14:00)?"
_YEAR = r"(-?(?:[1-9]\d{4,}|\d{4}))"
_DATATYPE_RE = {
    "gYear": re.compile(_YEAR + _TZ),
    "gYearMonth": re.compile(_YEAR + r"-(\d\d)" + _TZ),
    "date": re.compile(_YEAR + r"-(\d\d)-(\d\d)" + _TZ),
    "dateTime": re.compile(_YEAR + r"-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?" + _TZ),
    "language": re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*"),
    "NCName": re.compile(r"[^\W\d][\w.\-]*"),
    "ID": re.compile(r"[^\W\d][\w.\-]*"),
    "IDREF": re.compile(r"[^\W\d][\w.\-]*"),
    "decimal": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    "integer": re.compile(r"[+-]?\d+"),
    "nonNegativeInteger": re.compile(r"\+?\d+|-0+"),
    "positiveInteger": re.compile(r"\+?0*[1-9]\d*"),
}
#: What each datatype looks like, for messages.
_DATATYPE_EXAMPLE = {
    "gYear": "a year (1936)",
    "gYearMonth": "a month (1936-09)",
    "date": "a day (1936-09-01)",
    "dateTime": "a day with a time (1936-09-01T10:30:00)",
    "language": "a language code (en, ru, de-AT)",
    "ID": "an identifier that starts with a letter or _ and has no spaces or colons (p1, yezhov)",
    "NCName": "a name that starts with a letter or _ and has no spaces or colons",
    "decimal": "a number in digits (5000, 2.5)",
}


_CALENDAR_TYPES = ("gYear", "gYearMonth", "date", "dateTime")


def _valid_calendar(dtype: str, m: re.Match) -> bool:
    year = int(m.group(1))
    if year == 0:
        return False
    if dtype == "gYear":
        return True
    month = int(m.group(2))
    if not 1 <= month <= 12:
        return False
    if dtype == "gYearMonth":
        return True
    day = int(m.group(3))
    leap = calendar.isleap(year) if year > 0 else calendar.isleap(year + 1)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    if not 1 <= day <= days:
        return False
    if dtype == "dateTime":
        hh, mm, ss = int(m.group(4)), int(m.group(5)), int(m.group(6))
        if hh == 24:
            return mm == 0 and ss == 0 and not (m.group(7) or "").strip(".0")
        return hh < 24 and mm < 60 and ss < 60
    return True


def datatype_ok(dtype: str, pattern: str | None, value: str) -> bool:
    """True if ``value`` is a valid ``xsd:<dtype>`` (restricted by ``pattern``)."""
    lexical = value if dtype == "string" else " ".join(value.split())
    if dtype in ("string", "token", "normalizedString", "anyURI"):
        ok = True
    else:
        rx = _DATATYPE_RE.get(dtype)
        if rx is None:
            return True  # a type editio does not use: libxml2 decides alone
        m = rx.fullmatch(lexical)
        ok = m is not None and (dtype not in ("gYear", "gYearMonth", "date", "dateTime") or _valid_calendar(dtype, m))
    if ok and pattern:
        try:
            ok = re.fullmatch(pattern, lexical) is not None
        except re.error:
            ok = True  # an XSD-only regex feature (\p{..}); trust libxml2
    return ok


def _attribute_ok(spec: AttributeSpec, value: str) -> bool:
    if spec.any_text:
        return True
    tokens = value.split() if spec.is_list else [value]
    if spec.is_list and not tokens:
        return False
    for token in tokens:
        if " ".join(token.split()) in spec.values:
            continue
        if any(datatype_ok(t, p, token) for t, p in spec.datatypes):
            continue
        return False
    return True


# ---------------------------------------------------------------------------
# Checking a document
# ---------------------------------------------------------------------------

@cache
def editio_grammar() -> GrammarModel:
    """The model of the installed schema/editio.rng (read once per process)."""
    from .resources import schema_path

    return read_grammar(schema_path("editio.rng"))


def _listing(names, limit: int = MAX_LISTED) -> str:
    names = sorted(names, key=lambda n: (n.lower(), n))
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _tags(clark_names, spec: ElementSpec | None = None) -> str:
    """``<a>, <b> and N more``: short lists alphabetically, long ones in the schema's own order
    (which puts the common elements, names and dates, first)."""
    names = [n for n in clark_names if n != "*"]
    if spec is not None and len(names) > MAX_LISTED:
        order = {n: i for i, n in reversed(list(enumerate(_leaves(spec.content))))}
        names.sort(key=lambda n: order.get(n, len(order)))
        shown = ", ".join(f"<{display_name(n)}>" for n in names[:MAX_LISTED])
        return shown + f" and {len(names) - MAX_LISTED} more"
    return _listing([f"<{display_name(n)}>" for n in names])


class _Source:
    """The document's text, to turn lxml's line numbers into line:col of tags and attributes."""

    def __init__(self, path: str, tree: etree._ElementTree):
        self.lines: list[str] = []
        self.root = tree.getroot()
        self._by_line: dict[tuple[int, str], list[etree._Element]] | None = None
        try:
            p = Path(path)
            if p.is_file():
                self.lines = p.read_text("utf-8", errors="replace").splitlines()
        except OSError:
            pass

    def element(self, el: etree._Element) -> tuple[int, int]:
        line = el.sourceline or 0
        if not self.lines or not line:
            return line, 1
        tag = "<" + _source_qname(el)
        # Which occurrence of this tag on its line is the element?
        if self._by_line is None:
            self._by_line = {}
            for other in self.root.iter(etree.Element):
                self._by_line.setdefault((other.sourceline, other.tag), []).append(other)
        same = self._by_line.get((line, el.tag), [el])
        nth = next((i for i, other in enumerate(same) if other is el), 0)
        for ln in range(line, max(line - 20, 0), -1):
            text = self.lines[ln - 1] if ln - 1 < len(self.lines) else ""
            starts = [m.start() for m in re.finditer(re.escape(tag) + r"(?=[\s/>]|$)", text)]
            if starts:
                return ln, starts[min(nth, len(starts) - 1)] + 1 if ln == line else starts[-1] + 1
        return line, 1

    def attribute(self, el: etree._Element, clark: str) -> tuple[int, int]:
        line, col = self.element(el)
        if not self.lines or not line:
            return line, col
        name = display_name(clark) if clark.startswith("{" + XML_NS) else _attr_source_name(el, clark)
        rx = re.compile(r"(?<![\w:.-])" + re.escape(name) + r"\s*=")
        for ln in range(line, min(line + 20, len(self.lines)) + 1):
            text = self.lines[ln - 1]
            m = rx.search(text, col - 1 if ln == line else 0)
            if m:
                return ln, m.start() + 1
            if ">" in text[(col - 1 if ln == line else 0):]:
                break
        return line, col


def _source_qname(el: etree._Element) -> str:
    q = etree.QName(el)
    return f"{el.prefix}:{q.localname}" if el.prefix else q.localname


def _attr_source_name(el: etree._Element, clark: str) -> str:
    if not clark.startswith("{"):
        return clark
    ns, local = clark[1:].split("}", 1)
    for prefix, uri in (el.nsmap or {}).items():
        if uri == ns and prefix:
            return f"{prefix}:{local}"
    return local


def _describe(el: etree._Element) -> str:
    """``<p xml:id="p3">`` style label for messages."""
    name = display_name(el.tag)
    ident = el.get("{%s}id" % XML_NS)
    return f'<{name} xml:id="{ident}">' if ident else f"<{name}>"


class _TooMany(Exception):
    """Raised inside the walk when a file has more problems than are worth listing."""


class _Walker:
    def __init__(self, model: GrammarModel, path: str, tree: etree._ElementTree):
        self.model = model
        self.path = path
        self.source = _Source(path, tree)
        self.out: list[Diagnostic] = []
        self.ids: dict[str, etree._Element] = {}

    def report(self, where: tuple[int, int], rule: str, message: str, hint: str) -> None:
        self.out.append(Diagnostic(self.path, where[0], where[1], ERROR, message, rule, hint))
        if len(self.out) >= MAX_DIAGNOSTICS:
            raise _TooMany


    def run(self, root: etree._Element) -> list[Diagnostic]:
        nfa = self.model.start_nfa
        if not nfa.step(nfa.initial(), root.tag):
            expected = _tags(nfa.expected(nfa.initial()))
            qname = etree.QName(root)
            found = f"<{qname.localname}>" + (f' in namespace "{qname.namespace}"' if qname.namespace
                                              else " in no namespace")
            rule = "rng.not-allowed-here" if root.tag in self.model.elements else "rng.unknown-element"
            self.report(self.source.element(root), rule,
                        f"the document element is {found}, but the schema expects {expected} "
                        f'in namespace "{TEI_NS}"',
                        f'a file of the edition starts with <TEI xmlns="{TEI_NS}">')
            return self.out
        try:
            self.element(root)
        except _TooMany:
            last = self.out[-1]
            self.out.append(Diagnostic(self.path, last.line, last.col, ERROR,
                                       f"more than {MAX_DIAGNOSTICS} schema problems; the rest of the file "
                                       "was not checked", "rng.too-many", "fix the problems above and validate again"))
        return self.out

    def element(self, el: etree._Element) -> None:
        spec = self.model.elements[el.tag]
        self.attributes(el, spec)
        self.content(el, spec)

    def attributes(self, el: etree._Element, spec: ElementSpec) -> None:
        attrs = spec.attributes
        for key, value in el.attrib.items():
            attr = attrs.get(key)
            if key == _XML_ID and attr is not None:
                self.identifier(el, spec, value)
            if attr is not None and (attr.any_text or _attribute_ok(attr, value)):
                continue  # the common case, kept cheap: locations are only computed for problems
            inside = self.parent_phrase(el)
            where = self.source.attribute(el, key)
            if attr is None:
                allowed = _listing([a.display for a in attrs.values()]) or "none"
                close = difflib.get_close_matches(display_name(key), [display_name(a) for a in attrs], n=2,
                                                  cutoff=0.6)
                self.report(where, "rng.unknown-attribute",
                            f"attribute @{display_name(key)} is not allowed on <{spec.display}>{inside}; "
                            f"allowed attributes: {allowed}",
                            (f"did you mean {' or '.join('@' + c for c in close)}? " if close else "")
                            + "remove it, or check its spelling and namespace")
            else:
                self.bad_value(el, spec, attr, value, where, inside)
        for key in spec.required:
            if key not in el.attrib:
                attr = attrs[key]
                inside = self.parent_phrase(el)
                values = f" (one of: {_listing(attr.values)})" if attr.values else ""
                if attr.values:
                    hint = f"add {attr.display}; " + "; ".join(
                        f"{v}: {d.rstrip('.')}" if d else v for v, d in attr.values.items())
                else:
                    hint = f"add {attr.display}=\"…\"" + (f": {attr.doc}" if attr.doc else "")
                self.report(self.source.element(el), "rng.missing-attribute",
                            f"<{spec.display}>{inside} must have attribute {attr.display}{values}", hint)

    def bad_value(self, el, spec: ElementSpec, attr: AttributeSpec, value: str, where, inside: str) -> None:
        name = f"{attr.display} on <{spec.display}>{inside}"
        if attr.values and not attr.datatypes:
            listed = "; ".join(f"{v} ({d.rstrip('.')})" if d else v for v, d in attr.values.items())
            many = "each value" if attr.is_list else "the value"
            self.report(where, "rng.attribute-value",
                        f'{name} has value "{value}", which is not in its closed list: {_listing(attr.values)}',
                        f"{many} must be one of: {listed}")
            return
        kinds = [_DATATYPE_EXAMPLE.get(t, f"xsd:{t}" + (f" matching {p}" if p else "")) for t, p in attr.datatypes]
        if attr.values:
            kinds.insert(0, "one of " + _listing(attr.values))
        wanted = " or ".join(kinds)
        if any(t in _CALENDAR_TYPES and _DATATYPE_RE[t].fullmatch(value.strip()) for t, _ in attr.datatypes):
            self.report(where, "rng.datatype",
                        f'{name} has value "{value}", which is not a real calendar date (no such day or month)',
                        "check the day and month: months run 01-12, and no month has more than 31 days "
                        "(February 28, or 29 in leap years)")
            return
        hint = f"write {wanted}"
        if any(t in ("date", "gYearMonth", "gYear") for t, _ in attr.datatypes):
            hint += "; ISO 8601 with four-digit years and two-digit months and days, e.g. 1936-09-01"
        self.report(where, "rng.datatype", f'{name} has value "{value}", which is not {wanted}', hint)

    def content(self, el: etree._Element, spec: ElementSpec) -> None:
        if not spec.text_allowed or spec.content_data:
            self.text(el, spec)
        nfa = spec.nfa
        step = nfa.step
        elements = self.model.elements
        states = nfa.initial()
        previous: etree._Element | None = None
        reported = False
        for child in el.iterchildren(etree.Element):  # comments and processing instructions do not count
            tag = child.tag
            child_spec = elements.get(tag)
            if child_spec is None:
                self.unknown(child, el, spec, states)
                reported = True
                continue
            nxt = step(states, tag)
            if not nxt:
                # Carry on as if the encoder had written what was missing.
                states = self.misplaced(child, el, spec, states, previous) or states
                reported = True
            else:
                states = nxt
            previous = child
            if child.attrib or child_spec.required:
                self.attributes(child, child_spec)
            self.content(child, child_spec)
        if not nfa.accepts(states) and not reported:
            missing = _tags(nfa.expected(states), spec)
            after = f" after <{display_name(previous.tag)}>" if previous is not None else ""
            self.report(self.source.element(el), "rng.missing-element",
                        f"{_describe(el)}{self.parent_phrase(el)} is incomplete: expected {missing}{after}",
                        f"add the missing element inside <{spec.display}>" + (f"; {spec.doc}" if spec.doc else ""))

    def text(self, el: etree._Element, spec: ElementSpec) -> None:
        """Text where the element allows none, or a typed value (geo) of the wrong form."""
        inside = f"<{spec.display}>"
        text_parts = [el.text or ""] + [c.tail or "" for c in el]
        if not spec.text_allowed and any(t.strip() for t in text_parts):
            self.report(self.source.element(el), "rng.text-not-allowed",
                        f"text is not allowed directly in {inside}; it holds only elements: "
                        f"{_tags(spec.children, spec) or 'nothing (it is empty)'}",
                        "move the text into the right child element, or delete it")
        elif spec.content_data and len(el) == 0:
            value = el.text or ""
            if not any(datatype_ok(t, p, value) for t, p in spec.content_data):
                self.report(self.source.element(el), "rng.datatype",
                            f'the content "{value.strip()}" of {inside} does not have the required form',
                            spec.doc or "see the encoding guidelines for this element")

    def identifier(self, el: etree._Element, spec: ElementSpec, value: str) -> None:
        """xml:id is of type ID: unique within the document (as libxml2 and jing check)."""
        key = value.strip()
        first = self.ids.get(key)
        if first is None:
            self.ids[key] = el
            return
        self.report(self.source.attribute(el, _XML_ID), "rng.duplicate-id",
                    f'xml:id="{value}" on <{spec.display}> is already used on {_describe(first)} '
                    f"at line {first.sourceline}",
                    "every xml:id must be unique; rename one of them")

    def parent_phrase(self, el: etree._Element) -> str:
        parent = el.getparent()
        return f" (in {_describe(parent)})" if parent is not None else ""

    def unknown(self, child, el, spec: ElementSpec, states) -> None:
        name = display_name(child.tag) if isinstance(child.tag, str) else "?"
        ns = etree.QName(child).namespace
        expected = _tags(spec.nfa.expected(states), spec) or "no element"
        if ns != TEI_NS and etree.QName(child).localname in {display_name(n) for n in self.model.elements}:
            hint = f'<{etree.QName(child).localname}> is in the wrong namespace: TEI elements are in "{TEI_NS}"'
        else:
            known = sorted({display_name(n) for n in self.model.elements})
            close = difflib.get_close_matches(etree.QName(child).localname, known, n=3, cutoff=0.6)
            hint = (f"did you mean {' or '.join(f'<{c}>' for c in close)}? " if close else "check the spelling; ") \
                + "the encoding guidelines list every element of the edition"
        self.report(self.source.element(child), "rng.unknown-element",
                    f"element <{name}> is not part of the editio schema (found in {_describe(el)}); "
                    f"expected here: {expected}", hint)

    def misplaced(self, child, el, spec: ElementSpec, states, previous) -> frozenset[int] | None:
        """Report a child the content model does not accept; return the states to carry on from."""
        nfa = spec.nfa
        name = display_name(child.tag)
        # Would the child fit if one required element came first?
        missing = [n for n in nfa.expected(states) if nfa.step(nfa.step(states, n), child.tag)]
        after = f" after <{display_name(previous.tag)}>" if previous is not None else ""
        where = self.source.element(child)
        if missing and len(missing) <= 3:
            first = " or ".join(f"<{display_name(n)}>" for n in sorted(missing))
            docs = self.model.elements[missing[0]].doc if len(missing) == 1 else ""
            self.report(where, "rng.missing-element",
                        f"{_describe(el)}{self.parent_phrase(el)} is missing {first} before <{name}>",
                        f"insert {first}{after or ' at the start'} in <{spec.display}>" + (f" ({docs})" if docs else ""))
            return nfa.step(nfa.step(states, missing[0]), child.tag)
        expected = _tags(nfa.expected(states), spec)
        allowed_in = self.model.parents_of(child.tag)
        if child.tag in spec.children:
            msg = (f"element <{name}> is not allowed here in {_describe(el)}{after}; "
                   f"expected {expected or 'nothing more'}")
            hint = f"move <{name}> to its proper place in <{spec.display}> (the order matters)"
        else:
            msg = (f"element <{name}> is not allowed in {_describe(el)}; "
                   f"expected {expected or 'nothing more'}{after}")
            hint = f"<{name}> may appear in: {_listing(f'<{p}>' for p in allowed_in) or 'nowhere'}"
        self.report(where, "rng.not-allowed-here", msg, hint)
        return None


_LIBXML_RULES = {
    "RELAXNG_ERR_ELEMWRONG": "rng.not-allowed-here",
    "RELAXNG_ERR_INVALIDATTR": "rng.attribute-value",
    "RELAXNG_ERR_ATTRVALID": "rng.missing-attribute",
    "RELAXNG_ERR_NOELEM": "rng.missing-element",
    "RELAXNG_ERR_TEXTWRONG": "rng.text-not-allowed",
    "RELAXNG_ERR_DATATYPE": "rng.datatype",
}


def _from_libxml(errors, tree: etree._ElementTree, path: str) -> list[Diagnostic]:
    """Fallback when libxml2 finds a problem the model walk did not: keep its most specific message."""
    out = []
    source = _Source(path, tree)
    for e in errors:
        rule = _LIBXML_RULES.get(e.type_name)
        if rule is None and out:
            continue  # "failed to validate content" cascades on ancestors
        line, col = e.line, 1
        if e.path:
            try:
                found = tree.xpath(e.path)
                if found and isinstance(found[0], etree._Element):
                    line, col = source.element(found[0])
            except etree.XPathError:
                pass
        out.append(Diagnostic(path, line, col, ERROR, e.message, rule or "rng.invalid",
                              "see the encoding guidelines for this element"))
    return out[:1] if out else [Diagnostic(path, 1, 1, ERROR, "the document does not match the editio schema",
                                           "rng.invalid", "")]


def explain(tree: etree._ElementTree, path: str, error_log) -> list[Diagnostic]:
    """Why libxml2 rejected ``tree``: the model walk's findings, or libxml2's own message if it finds none."""
    found = _Walker(editio_grammar(), path, tree).run(tree.getroot())
    if not found:
        found = _from_libxml(error_log, tree, path)
    found.sort(key=lambda d: (d.line, d.col, d.rule, d.message))
    return found

"""A small ISO Schematron engine on lxml, with editio's cross-file functions.

Why not lxml.isoschematron or a Schematron-to-XSLT compiler on saxonche? The
first reports locations as XPaths, not lines; the second costs a Saxon
processor start (~0.13 s) per run, more than the whole validation budget.
This engine runs editio.sch's rules itself, so every failure carries the
element's line, and the ``ed:`` functions see the whole edition (all files
being validated together).

The rule XPaths in editio.sch are written in the common subset of XPath 1.0
and 2.0, and the schema declares the ``ed:`` functions as ``xsl:function``s,
so oXygen and other editors can run the same file while the encoder types
(there the cross-file checks see only the open file and what it loads).

Supported: ns, pattern, rule/@context, assert, report, @id, @role,
value-of, name, diagnostics (used as the "how to fix" hint), let (global and
rule-level, XPath 1.0).

How it runs (and why it is fast enough for a thousand chapters): each file is
read once into :class:`FileFacts` -- its ids, its pointers, and for every rule
the elements it applies to -- in one pass over the tree. Rule contexts and
tests in the simple forms editio.sch uses (name tests, ``/`` and ``//`` steps,
``@attr``, ``ancestor::``, ``not``/``and``/``or``, ``=``, the ``ed:``
functions) are translated from the schema into Python with XPath 1.0's
meaning; anything else is evaluated by libxml2's XPath exactly as written. A
translated test depends only on its element's attributes, so it is evaluated
once per distinct combination of attribute values, and the facts need no tree:
they can be kept between runs (:mod:`editio.validation`'s cache), and the
cross-file rules re-evaluated from them when another file changes.
"""

from __future__ import annotations

import math
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from .diagnostics import ERROR, WARNING, Diagnostic
from .locate import element_column, local_qname
from .xmlload import load_xml

SCH = "http://purl.oclc.org/dsdl/schematron"
ED = "https://editio.dev/ns/functions"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_ID = "{%s}id" % XML_NS
EXTERNAL = re.compile(r"^(https?|mailto|urn|doi):", re.I)
ISO_DATE = re.compile(r"^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$")

#: Attributes whose values point to ids (what ``ed:referenced`` looks at).
POINTER_ATTRS = ("ref", "target", "corresp", "resp", "who")
#: ``ed:`` functions whose value depends on other files than the context node's.
CROSS_FILE = frozenset({"unresolved", "id-count", "id-places", "referenced"})
_CROSS_NAMES = sorted(CROSS_FILE)
#: Findings of one rule in one file beyond this are summarised, not listed.
MAX_PER_RULE = 200


def month_days(year: int, month: int) -> int:
    """Days in a month of the proleptic Gregorian calendar, for any year (calendar.monthrange stops at year 1)."""
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


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
    if not 1 <= day <= month_days(year, month):
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
        month = int(mo)
        last = month_days(int(y), month) if 1 <= month <= 12 else 31  # no such month: date.real reports it
        return f"{y}-{mo}-{last:02d}"
    return f"{y}-{mo}-{d}"


#: The XPath variable that carries a rule's context nodes to its asserts.
_CONTEXT = "editio-context"


# -- the facts of one file -------------------------------------------------------------------

class FileFacts:
    """What the Schematron rules need to know about one file; no tree, JSON-friendly.

    ``ids``: (xml:id, line) in document order. ``pointers``: distinct
    (attribute, value) pairs of the pointer attributes. ``nodes``: per rule
    number, the elements the rule applies to, as parallel lists of lines,
    element names as written and indexes into the rule's distinct keys
    (what its translated checks read of an element: :func:`_key`).
    ``found``: per check number, findings of XPath-evaluated checks that
    depend on this file alone (line, col, severity, message, rule, hint).
    ``volatile``: some XPath check also depends on other files, so the file
    must be parsed again whenever the edition is validated.
    """

    __slots__ = ("ids", "pointers", "_nodes", "_raw", "found", "volatile")

    def __init__(self, ids=None, pointers=None, nodes=None, found=None, volatile=False):
        self.ids: list[tuple[str, int]] = ids or []
        self.pointers: list[tuple[str, str]] = pointers or []
        self._nodes: dict[int, tuple[list[int], list[str], list[int], list]] | None = nodes or {}
        self._raw: str | None = None  # ``nodes`` as JSON, decoded only when needed
        self.found: dict[int, list[tuple]] = found or {}
        self.volatile = volatile

    @property
    def nodes(self) -> dict[int, tuple[list[int], list[str], list[int], list]]:
        if self._nodes is None:
            import json

            self._nodes = {}
            for r, lines, table, names, which, keys in json.loads(self._raw):
                self._nodes[r] = (lines, [table[i] for i in names], which, [_tupled(k) for k in keys])
        return self._nodes

    def to_json(self) -> dict:
        if self._raw is None:
            import json

            rows = []
            for r, (lines, names, which, keys) in sorted(self._nodes.items()):
                table = sorted(set(names))
                index = {n: i for i, n in enumerate(table)}
                rows.append([r, lines, table, [index[n] for n in names], which, keys])
            self._raw = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
        return {"ids": [list(x) for x in self.ids], "pointers": [list(p) for p in self.pointers],
                "nodes": self._raw,
                "found": [[c, [list(f) for f in fs]] for c, fs in sorted(self.found.items())],
                "volatile": self.volatile}

    @classmethod
    def from_json(cls, data: dict) -> "FileFacts":
        if not (isinstance(data["nodes"], str) and isinstance(data["ids"], list) and isinstance(data["pointers"], list)):
            raise ValueError("facts")
        facts = cls(data["ids"], data["pointers"], None, dict(data["found"]), bool(data["volatile"]))
        facts._nodes, facts._raw = None, data["nodes"]
        return facts


def _tupled(value):
    """JSON lists back to the tuples they were (keys are hashed when evaluated)."""
    return tuple(_tupled(v) for v in value) if isinstance(value, list) else value


class EditionIndex:
    """Ids and pointers of every file validated together (the cross-file view)."""

    def __init__(self, facts: dict[str, FileFacts]):
        self._targets: dict[tuple[str, str], str] = {}
        self._resolved: dict[tuple[str, str], tuple[str, str] | None] = {}
        self.ids: dict[str, set[str]] = {}
        self.id_uses: dict[str, list[tuple[str, int]]] = {}
        self._facts = facts
        self._pointed: set[tuple[str, str]] | None = None
        for key, f in facts.items():
            self.ids[key] = {xid for xid, _ in f.ids}
            for xid, line in f.ids:
                self.id_uses.setdefault(xid, []).append((key, line))

    @property
    def pointed(self) -> set[tuple[str, str]]:
        """(file key, id) of every id some pointer of the edition points to (made on first use)."""
        if self._pointed is not None:
            return self._pointed
        self._pointed = pointed = set()
        facts = self._facts
        seen: set[tuple[str, str]] = set()
        values: set[tuple[str, str]] = set()
        for key, f in facts.items():
            folder = key.rsplit("/", 1)[0]
            for _, value in f.pointers:
                if (folder, value) in values:
                    continue
                if "#" not in value or not any(t.startswith("#") for t in value.split()):
                    values.add((folder, value))  # means the same from every file of the folder
                for token in value.split():
                    # "file#id" means the same from every file of a folder; "#id" only from this one
                    where = key if token.startswith("#") else folder
                    if (where, token) in seen:
                        continue
                    seen.add((where, token))
                    hit = self.resolve(key, token)
                    if hit:
                        pointed.add(hit)
        return pointed

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


# -- the schema's XPaths in Python -----------------------------------------------------------

class _Unsupported(Exception):
    """An expression outside the subset translated to Python: libxml2 evaluates it."""


_TOKEN = re.compile(r"""\s*(?:(?P<str>"[^"]*"|'[^']*')|(?P<num>\d+(?:\.\d*)?|\.\d+)|(?P<op>!=|//|::|[()\[\],|=@/])"""
                    r"""|(?P<name>[A-Za-z_][\w.\-]*(?::(?:[A-Za-z_][\w.\-]*|\*))?|\*))""")
_XPATH_NUMBER = re.compile(r"\s*-?(?:\d+(?:\.\d*)?|\.\d+)\s*$")


def _tokens(expr: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    expr = expr.rstrip()
    while pos < len(expr):
        m = _TOKEN.match(expr, pos)
        if not m or m.end() == pos:
            raise _Unsupported(expr)
        pos = m.end()
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
    return out


class _Parser:
    """Recursive descent over the translated subset; raises :class:`_Unsupported` on anything else."""

    def __init__(self, expr: str, ns: dict[str, str]):
        self.toks = _tokens(expr)
        self.i = 0
        self.ns = ns

    def peek(self, value: str | None = None, kind: str | None = None) -> bool:
        if self.i >= len(self.toks):
            return False
        k, v = self.toks[self.i]
        return (value is None or v == value) and (kind is None or k == kind)

    def take(self, value: str | None = None, kind: str | None = None) -> str:
        if not self.peek(value, kind):
            raise _Unsupported(value or kind or "")
        self.i += 1
        return self.toks[self.i - 1][1]

    def done(self) -> None:
        if self.i != len(self.toks):
            raise _Unsupported("trailing")

    def clark(self, qname: str, attribute: bool) -> str:
        if ":" not in qname:
            return qname if attribute or qname == "*" else "{}" + qname
        prefix, local = qname.split(":", 1)
        uri = XML_NS if prefix == "xml" else self.ns.get(prefix)
        if uri is None:
            raise _Unsupported(prefix)
        return "{%s}%s" % (uri, local)

    # expressions (asserts, reports, value-of): tuples evaluated by _Eval
    def expr(self):
        left = self.and_expr()
        while self.peek("or", "name"):
            self.take()
            left = ("or", left, self.and_expr())
        return left

    def and_expr(self):
        left = self.eq_expr()
        while self.peek("and", "name"):
            self.take()
            left = ("and", left, self.eq_expr())
        return left

    def eq_expr(self):
        left = self.union()
        if self.peek("=") or self.peek("!="):
            op = self.take()
            left = ("eq", left, self.union(), op == "!=")
        return left

    def union(self):
        first = self.primary()
        if not self.peek("|"):
            return first
        names = [self._union_attr(first)]
        while self.peek("|"):
            self.take()
            names.append(self._union_attr(self.primary()))
        return ("union", tuple(names))

    @staticmethod
    def _union_attr(node) -> str:
        if node[0] != "attr":
            raise _Unsupported("union of non-attributes")
        return node[1]

    def primary(self):
        if self.peek("@"):
            self.take()
            return ("attr", self.clark(self.take(kind="name"), True))
        if self.peek(kind="str"):
            return ("value", self.take()[1:-1])
        if self.peek(kind="num"):
            return ("value", float(self.take()))
        if self.peek("("):
            self.take()
            inner = self.expr()
            self.take(")")
            return inner
        name = self.take(kind="name")
        self.take("(")
        args = []
        if not self.peek(")"):
            args.append(self.expr())
            while self.peek(","):
                self.take()
                args.append(self.expr())
        self.take(")")
        if ":" in name:
            prefix, local = name.split(":", 1)
            if self.ns.get(prefix) != ED or local not in _ED_ARITY or len(args) != _ED_ARITY[local]:
                raise _Unsupported(name)
            return ("ed", local, tuple(args))
        if name in ("not", "boolean") and len(args) == 1:
            return (name, args[0])
        if name in ("true", "false") and not args:
            return ("value", name == "true")
        raise _Unsupported(name)

    # match patterns (rule contexts): lists of _Path
    def pattern(self) -> list["_Path"]:
        paths = [self.path()]
        while self.peek("|"):
            self.take()
            paths.append(self.path())
        self.done()
        return paths

    def path(self) -> "_Path":
        steps, seps = [self.step()], []
        while self.peek("/") or self.peek("//"):
            seps.append(self.take())
            steps.append(self.step())
        return _Path(steps, seps)

    def step(self) -> "_Step":
        name = self.clark(self.take(kind="name"), False)
        if self.peek("::"):
            raise _Unsupported("axis")
        preds, needs = [], None
        while self.peek("["):
            self.take()
            start = self.i
            pred = self.pred()
            self.take("]")
            disjunction = _attribute_disjunction(self.toks[start:self.i - 1], self)
            if disjunction is not None and needs is None:
                needs = disjunction  # tested first, from the attribute names alone
            else:
                preds.append(pred)
        return _Step(name, needs, _all(preds))

    def pred(self):
        left = self.pred_and()
        while self.peek("or", "name"):
            self.take()
            a, b = left, self.pred_and()
            left = lambda el, keys, a=a, b=b: a(el, keys) or b(el, keys)  # noqa: E731
        return left

    def pred_and(self):
        left = self.pred_primary()
        while self.peek("and", "name"):
            self.take()
            a, b = left, self.pred_primary()
            left = lambda el, keys, a=a, b=b: a(el, keys) and b(el, keys)  # noqa: E731
        return left

    def pred_primary(self):
        if self.peek("@"):
            self.take()
            attr = self.clark(self.take(kind="name"), True)
            if self.peek("=") or self.peek("!="):
                raise _Unsupported("comparison in a context")
            return lambda el, keys: attr in keys
        if self.peek("("):
            self.take()
            inner = self.pred()
            self.take(")")
            return inner
        name = self.take(kind="name")
        if name == "not" and self.peek("("):
            self.take()
            inner = self.pred()
            self.take(")")
            return lambda el, keys: not inner(el, keys)
        if name == "ancestor" and self.peek("::"):
            self.take()
            tag = self.clark(self.take(kind="name"), False)
            if tag.endswith("*") or tag.startswith("{}"):
                raise _Unsupported("ancestor wildcard")
            return lambda el, keys: next(el.iterancestors(tag), None) is not None
        raise _Unsupported(name)


def _all(preds: list):
    if not preds:
        return None
    if len(preds) == 1:
        return preds[0]
    return lambda el, keys: all(p(el, keys) for p in preds)


class _Step:
    """One step of a match pattern: a name test, the attributes one of which it needs, other predicates."""

    __slots__ = ("name", "needs", "pred")

    def __init__(self, name: str, needs: frozenset[str] | None, pred):
        self.name = name  # Clark name, "{ns}*" or "*"; "{}local" for no namespace
        self.needs = needs
        self.pred = pred

    def names(self, tag: str) -> bool:
        if self.name == "*":
            return True
        if self.name.endswith("}*"):
            return tag.startswith(self.name[:-1])
        return tag == (self.name[2:] if self.name.startswith("{}") else self.name)

    def matches(self, el, keys) -> bool:
        if not self.names(el.tag):
            return False
        if self.needs is not None and (not keys or self.needs.isdisjoint(keys)):
            return False
        return self.pred is None or self.pred(el, keys)


class _Path:
    """A relative location path of a match pattern (``a/b//c[...]``), matched from its last step up."""

    __slots__ = ("steps", "seps")

    def __init__(self, steps: list[_Step], seps: list[str]):
        self.steps = steps
        self.seps = seps

    def rest(self):
        """What remains to test once the last step's name and needs matched (None: nothing)."""
        last = self.steps[-1]
        if len(self.steps) == 1:
            return last.pred
        pred, steps, seps = last.pred, self.steps, self.seps
        top = len(steps) - 2
        if pred is None:
            return lambda el, keys: _up(el.getparent(), steps, seps, top)
        return lambda el, keys: pred(el, keys) and _up(el.getparent(), steps, seps, top)


def _path_matches(path: _Path, el, keys) -> bool:
    last = path.steps[-1]
    if not last.matches(el, keys):
        return False
    return len(path.steps) == 1 or _up(el.getparent(), path.steps, path.seps, len(path.steps) - 2)


def _key(attrs: tuple[str, ...], union: bool, el, keys) -> object:
    """What translated checks read of an element: the values of ``attrs`` (one: the value itself), and for
    value-of a union, the order of those present."""
    if len(attrs) == 1 and not union:
        return el.get(attrs[0])
    key = tuple(map(el.get, attrs))
    if union:
        key += (tuple(k for k in keys if k in attrs),)
    return key


def _projection(rule, check):
    """A function from the rule's key of an element to the check's key."""
    if rule.attrs == check.attrs and rule.union == check.union:
        return lambda key: key
    idx = [rule.attrs.index(a) for a in check.attrs]
    if len(idx) == 1 and not check.union:
        i = idx[0]
        return lambda key: key[i]
    if not check.union:
        return lambda key: tuple(key[i] for i in idx)
    names = check.attrs
    return lambda key: tuple(key[i] for i in idx) + (tuple(k for k in key[-1] if k in names),)


def _attribute_disjunction(toks: list[tuple[str, str]], parser: _Parser) -> frozenset[str] | None:
    """The attributes of a predicate of the form ``@a or @b or ...`` (one must be present), else None."""
    names = []
    for i, (kind, value) in enumerate(toks):
        if i % 3 == 0 and value != "@" or i % 3 == 1 and kind != "name" or i % 3 == 2 and value != "or":
            return None
        if i % 3 == 1:
            names.append(parser.clark(value, True))
    return frozenset(names) if names and len(toks) % 3 == 2 else None


def _up(el, steps, seps, i) -> bool:
    """Does the path ``steps[:i+1]`` match at ``el`` or (after ``//``) above it?"""
    step = steps[i]
    if seps[i] == "//" and not step.name.endswith("*") and step.needs is None and step.pred is None and i == 0:
        return el is not None and (step.names(el.tag) or next(el.iterancestors(
            step.name[2:] if step.name.startswith("{}") else step.name), None) is not None)
    while el is not None:
        if step.matches(el, el.keys()) and (i == 0 or _up(el.getparent(), steps, seps, i - 1)):
            return True
        if seps[i] == "/":
            return False
        el = el.getparent()
    return False


_ED_ARITY = {"unresolved": 1, "id-count": 1, "id-places": 1, "referenced": 1, "is-date": 1, "date-le": 2}


def _parse_expr(expr: str, ns: dict[str, str]):
    parser = _Parser(expr, ns)
    tree = parser.expr()
    parser.done()
    return tree


def _attrs_of(node, found: list[str]) -> list[str]:
    """Attribute names an expression reads, in first-use order."""
    kind = node[0]
    if kind == "attr" and node[1] not in found:
        found.append(node[1])
    elif kind == "union":
        for n in node[1]:
            if n not in found:
                found.append(n)
    elif kind in ("or", "and", "eq"):
        _attrs_of(node[1], found)
        _attrs_of(node[2], found)
    elif kind in ("not", "boolean"):
        _attrs_of(node[1], found)
    elif kind == "ed":
        for a in node[2]:
            _attrs_of(a, found)
    return found


def _uses(node, names: frozenset) -> bool:
    """Does an expression call one of the ``ed:`` functions ``names``?"""
    kind = node[0]
    if kind == "ed":
        return node[1] in names or any(_uses(a, names) for a in node[2])
    if kind in ("or", "and", "eq"):
        return _uses(node[1], names) or _uses(node[2], names)
    if kind in ("not", "boolean"):
        return _uses(node[1], names)
    return False


def _uses_union(node) -> bool:
    kind = node[0]
    if kind == "union":
        return True
    if kind in ("or", "and", "eq"):
        return _uses_union(node[1]) or _uses_union(node[2])
    if kind in ("not", "boolean"):
        return _uses_union(node[1])
    if kind == "ed":
        return any(_uses_union(a) for a in node[2])
    return False


def _boolean(v) -> bool:
    if isinstance(v, float):
        return v != 0 and not math.isnan(v)
    return bool(v)


def _number(v) -> float:
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, float):
        return v
    if isinstance(v, list):
        v = v[0] if v else ""
    return float(v) if _XPATH_NUMBER.match(v) else math.nan


def _compare(a, b) -> bool:
    """XPath 1.0 ``=`` (section 3.4) on node-sets of strings, strings, numbers and booleans."""
    if isinstance(a, list) and isinstance(b, list):
        return any(x == y for x in a for y in b)
    if isinstance(b, list):
        a, b = b, a
    if isinstance(a, list):
        if isinstance(b, bool):
            return bool(a) == b
        if isinstance(b, float):
            return any(_number(x) == b for x in a)
        return any(x == b for x in a)
    if isinstance(a, bool) or isinstance(b, bool):
        return _boolean(a) == _boolean(b)
    if isinstance(a, float) or isinstance(b, float):
        return _number(a) == _number(b)
    return a == b


def _compare_ne(a, b) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return any(x != y for x in a for y in b)
    if isinstance(b, list):
        a, b = b, a
    if isinstance(a, list):
        if isinstance(b, bool):
            return bool(a) != b
        if isinstance(b, float):
            return any(_number(x) != b for x in a)
        return any(x != b for x in a)
    if isinstance(a, bool) or isinstance(b, bool):
        return _boolean(a) != _boolean(b)
    if isinstance(a, float) or isinstance(b, float):
        return _number(a) != _number(b)
    return a != b


# -- the schema -------------------------------------------------------------------------------

class _LazyXPath:
    """An XPath compiled on first use: most of the schema's XPaths are evaluated in Python instead."""

    __slots__ = ("expr", "engine", "compiled")

    def __init__(self, expr: str, engine: "SchematronEngine"):
        self.expr = expr
        self.engine = engine
        self.compiled: etree.XPath | None = None

    def __call__(self, *args, **kwargs):
        if self.compiled is None:
            self.compiled = self.engine._xpath(self.expr)
        return self.compiled(*args, **kwargs)


class Check:
    """One assert or report of a rule."""

    __slots__ = ("test", "failing", "is_assert", "rule_id", "severity", "message", "hint",
                 "native", "native_message", "cross", "number", "attrs", "union", "fires", "project")

    def __init__(self, test, failing, is_assert, rule_id, severity, message, hint):
        self.test: etree.XPath = test
        #: Filters the rule's context nodes (passed as a variable) to those for which this check fires.
        self.failing: etree.XPath = failing
        self.is_assert = is_assert
        self.rule_id = rule_id
        self.severity = severity
        self.message = message  # text and ("value-of", XPath) / ("name",) parts
        self.hint = hint
        #: The test in Python (an expression tree), or None when libxml2 evaluates it.
        self.native = None
        #: The message parts with value-of expressions in Python, or None.
        self.native_message = None
        #: Depends on other files (through an ed: function).
        self.cross = False
        self.number = 0
        #: Attributes the translated test and message read: an element's values of them are its key.
        self.attrs: tuple[str, ...] = ()
        #: The key also records the document order of ``attrs`` (for value-of a union of attributes).
        self.union = False
        #: key -> True if the check fires (compiled from ``native``).
        self.fires = None
        #: The rule's key of an element -> this check's key.
        self.project = None


class Rule:
    __slots__ = ("context", "context_text", "lets", "checks", "matcher", "number", "native_any", "xpath_any",
                 "attrs", "union")

    def __init__(self, context, context_text, lets, checks):
        self.context: etree.XPath = context
        self.context_text: str = context_text
        self.lets: list[tuple[str, etree.XPath]] = lets
        self.checks: list[Check] = checks
        #: The context as match-pattern paths tested in Python, or None when libxml2 selects it.
        self.matcher: list[_Path] | None = None
        self.number = 0
        #: What the rule's translated checks read of an element, together (see :func:`_key`).
        self.attrs: tuple[str, ...] = ()
        self.union = False
        #: Some check is evaluated in Python (the rule's nodes go into the facts) / by libxml2.
        self.native_any = False
        self.xpath_any = False


class Pattern:
    __slots__ = ("id", "rules", "compiled")

    def __init__(self, id: str):
        self.id = id
        self.rules: list[Rule] = []
        #: Every rule's context has a Python matcher: the pattern is selected in the one pass.
        self.compiled = False


class SchematronEngine:
    """Compiled Schematron rules; :meth:`check` runs them on an edition."""

    def __init__(self, schema: Path, native: bool = True):
        doc = load_xml(schema).getroot()
        self.ns = {n.get("prefix"): n.get("uri") for n in doc.iterfind(f"{{{SCH}}}ns")}
        self.ns.setdefault("ed", ED)
        self._index: EditionIndex | None = None
        self._current_key = ""
        self._unresolved_cache: dict[tuple[str, str], str] = {}
        self._calls: dict | None = None
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
        self.rules: list[Rule] = []
        self.checks: list[Check] = []
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
                    check = Check(self._lazy(test), self._lazy(f"${_CONTEXT}[{fires}]"),
                                  c.tag == f"{{{SCH}}}assert",
                                  c.get("id") or pattern.id, WARNING if role in ("warning", "warn", "info") else ERROR,
                                  self._message(c), hint)
                    self._translate_check(check, c, native and not lets and not self.global_lets,
                                          [l.get("value") for l in r.iterfind(f"{{{SCH}}}let")]
                                          + [l.get("value") for l in doc.iterfind(f"{{{SCH}}}let")])
                    check.number = len(self.checks)
                    self.checks.append(check)
                    checks.append(check)
                rule = Rule(self._lazy(select), context, lets, checks)
                rule.number = len(self.rules)
                self._translate_rule(rule, native and not self.global_lets)
                self.rules.append(rule)
                pattern.rules.append(rule)
            pattern.compiled = all(r.matcher is not None for r in pattern.rules)
            self.patterns.append(pattern)
        self._plans: dict[str, list] = {}
        # Compiled patterns whose every path ends in a named element (not a wildcard) are matched on
        # the elements of those names only; the others on every element.
        self._named: list[tuple[Pattern, list[str]]] = []
        for p in self.patterns:
            if p.compiled:
                last = [path.steps[-1].name for r in p.rules for path in r.matcher]
                if all(not n.endswith("*") for n in last):
                    tags = sorted({n[2:] if n.startswith("{}") else n for n in last})
                    self._named.append((p, tags))
        self._named_patterns = [p for p, _ in self._named]
        self._named_entries: dict = {}
        self._any_without_attributes = any(
            path.steps[-1].needs is None for p in self.patterns if p.compiled and p not in self._named_patterns
            for r in p.rules for path in r.matcher)

    def _xpath(self, expr: str) -> etree.XPath:
        return etree.XPath(expr, namespaces=self.ns, extensions=self._ext, smart_strings=True)

    def _lazy(self, expr: str) -> "_LazyXPath":
        return _LazyXPath(expr, self)

    def _message(self, el) -> list:
        parts: list = []
        if el.text:
            parts.append(el.text)
        for child in el:
            if child.tag == f"{{{SCH}}}value-of":
                parts.append(("value-of", self._lazy(child.get("select")), child.get("select")))
            elif child.tag == f"{{{SCH}}}name":
                parts.append(("name",))
            else:
                parts.append("".join(child.itertext()))
            if child.tail:
                parts.append(child.tail)
        return parts

    def _translate_check(self, check: Check, el, allowed: bool, lets: list[str]) -> None:
        """Put the test (and the message) in Python if they are in the translated subset.

        A check that depends on other files is translated only as a whole
        (test and message), since its findings are made without the tree.
        """
        values = [p[2] for p in check.message if isinstance(p, tuple) and p[0] == "value-of"]
        prefixes = [p for p, uri in self.ns.items() if uri == ED]
        check.cross = any(f"{p}:{name}" in e for e in [el.get("test")] + values + lets
                          for p in prefixes for name in CROSS_FILE)  # conservative: refined below
        if not allowed:
            return
        try:
            test = _parse_expr(el.get("test"), self.ns)
        except _Unsupported:
            return
        try:
            trees = [_parse_expr(v, self.ns) for v in values]
        except _Unsupported:
            trees = None
        if trees is None:
            if check.cross:
                return
            check.native = test
            return
        check.cross = any(_uses(t, CROSS_FILE) for t in [test] + trees)
        check.native = test
        parts = []
        for p in check.message:
            parts.append(("value-of", trees.pop(0)) if isinstance(p, tuple) and p[0] == "value-of" else p)
        check.native_message = parts

    def _translate_rule(self, rule: Rule, allowed: bool) -> None:
        for c in rule.checks:
            if c.native is None:
                continue
            exprs = [c.native] + [p[1] for p in c.native_message or () if isinstance(p, tuple) and p[0] == "value-of"]
            attrs: list[str] = []
            for tree in exprs:
                _attrs_of(tree, attrs)
            c.attrs = tuple(attrs)
            c.union = any(_uses_union(t) for t in exprs)
            test = self._compile(c.native, c)
            c.fires = (lambda key, t=test: not _boolean(t(key))) if c.is_assert else (lambda key, t=test: _boolean(t(key)))
            if c.native_message is not None:
                c.native_message = [("value-of", self._compile(p[1], c)) if isinstance(p, tuple) and p[0] == "value-of"
                                    else p for p in c.native_message]
        # Elements are kept in the facts for the checks that depend on other files; the rest are done at once.
        attrs: list[str] = []
        for c in rule.checks:
            if c.native is not None and c.cross:
                attrs += [a for a in c.attrs if a not in attrs]
        rule.native_any = any(c.native is not None and c.cross for c in rule.checks)
        rule.xpath_any = any(c.native is None or not c.cross for c in rule.checks)
        rule.attrs, rule.union = tuple(attrs), any(c.union for c in rule.checks if c.native is not None and c.cross)
        for c in rule.checks:
            if c.native is not None and c.cross:
                c.project = _projection(rule, c)
        if not allowed:
            return
        try:
            rule.matcher = _Parser(rule.context_text, self.ns).pattern()
        except _Unsupported:
            rule.matcher = None

    def _compile(self, node, check: Check):
        """A translated expression as a function of an element's key (see :meth:`key`), with XPath 1.0 types."""
        kind = node[0]
        if kind == "attr":
            if len(check.attrs) == 1 and not check.union:
                return lambda key: [] if key is None else [key]
            i = check.attrs.index(node[1])
            return lambda key: [] if key[i] is None else [key[i]]
        if kind == "value":
            value = node[1]
            return lambda key: value
        if kind == "union":
            names, pos = node[1], {a: i for i, a in enumerate(check.attrs)}
            return lambda key: [key[pos[n]] for n in key[-1] if n in names]
        if kind in ("or", "and"):
            a, b = self._compile(node[1], check), self._compile(node[2], check)
            if kind == "or":
                return lambda key: _boolean(a(key)) or _boolean(b(key))
            return lambda key: _boolean(a(key)) and _boolean(b(key))
        if kind == "not":
            a = self._compile(node[1], check)
            return lambda key: not _boolean(a(key))
        if kind == "boolean":
            a = self._compile(node[1], check)
            return lambda key: _boolean(a(key))
        if kind == "eq":
            a, b = self._compile(node[1], check), self._compile(node[2], check)
            compare = _compare_ne if node[3] else _compare
            return lambda key: compare(a(key), b(key))
        args = [self._compile(a, check) for a in node[2]]
        call, name = self._call, node[1]
        return lambda key: call(name, [a(key) for a in args])

    # -- ed: functions ---------------------------------------------------
    def _fn_unresolved(self, ctx, value):
        text = _text([value])
        # Only a bare "#id" depends on the file itself; other tokens on its folder (or nothing).
        own = "#" in text and any(t.startswith("#") for t in text.split())
        key = (self._current_key if own else self._current_key.rsplit("/", 1)[0], text)
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

    def _call(self, name: str, args: list):
        """An ed: function on evaluated arguments (cross-file calls are noted in ``_calls`` when recording)."""
        if name in CROSS_FILE:
            arg = _text(args)
            result = self._cross(name, arg)
            if self._calls is not None:
                self._calls[(name, arg)] = result
            return result
        if name == "is-date":
            return is_real_date(_text(args))
        return date_bound(_text([args[0]]), False) <= date_bound(_text([args[1]]), True)

    def _cross(self, name: str, arg: str):
        if name == "unresolved":
            return self._fn_unresolved(None, arg)
        if name == "id-count":
            return self._fn_id_count(None, arg)
        if name == "id-places":
            return self._fn_id_places(None, arg)
        return self._fn_referenced(None, arg)

    # -- one file --------------------------------------------------------
    def _entries(self, pattern: Pattern, tag: str) -> list:
        found = self._named_entries.get((pattern.id, tag))
        if found is None:
            found = self._named_entries[(pattern.id, tag)] = [
                (r, path.steps[-1].needs, path.rest()) for r in pattern.rules for path in r.matcher
                if path.steps[-1].names(tag)]
        return found

    def _plan(self, tag: str) -> tuple[frozenset[str] | None, list[list[tuple[Rule, frozenset[str] | None, object]]]]:
        """Per compiled pattern, (rule, attributes one of which is needed, rest to test) for each of its
        rules' paths whose last step names ``tag``, in schema order; and the attributes without one of
        which no rule applies to the element (None: no such shortcut)."""
        plan = []
        for p in self.patterns:
            if not p.compiled or p in self._named_patterns:
                continue
            entries = [(r, path.steps[-1].needs, path.rest()) for r in p.rules for path in r.matcher
                       if path.steps[-1].names(tag)]
            if entries:
                plan.append(entries)
        needs = [n for entries in plan for _, n, _ in entries]
        return (frozenset().union(*needs) if needs and None not in needs else None), plan

    def facts(self, tree: etree._ElementTree, shown: str = "") -> FileFacts:
        """Read one file's :class:`FileFacts` (one pass over its elements, plus libxml2 for the rest).

        ``shown`` is the file's name in findings of XPath-evaluated checks
        (and where its columns are read from).
        """
        ids: list[tuple[str, int]] = []
        pointers: dict[tuple[str, str], None] = {}
        groups: dict[int, tuple[list[int], list[str], list[int], dict]] = {}
        names: dict[tuple, str] = {}
        selected: dict[int, list] = {}  # rule number -> elements, for rules that have XPath checks
        plans = self._plans

        def add(rule: Rule, el, keys) -> None:
            group = groups.get(rule.number)
            if group is None:
                group = groups[rule.number] = ([], [], [], {})
            lines, qnames, which, table = group
            tag_prefix = (el.tag, el.prefix)
            q = names.get(tag_prefix)
            if q is None:
                q = names[tag_prefix] = local_qname(el)
            lines.append(el.sourceline or 0)
            qnames.append(q)
            attrs = rule.attrs
            if len(attrs) == 1 and not rule.union:
                key = el.get(attrs[0])
            else:
                key = _key(attrs, rule.union, el, keys)
            k = table.get(key)
            if k is None:
                k = table[key] = len(table)
            which.append(k)

        def take(rule: Rule, el, keys) -> None:
            if rule.native_any:
                add(rule, el, keys)
            if rule.xpath_any:
                selected.setdefault(rule.number, []).append(el)

        # Patterns whose rules may apply to any element: one pass, which also collects ids and pointers.
        root = tree.getroot()
        any_without = self._any_without_attributes
        for el in root.iter(etree.Element):
            keys = el.keys()
            if keys:
                for k in keys:
                    if k == XML_ID:
                        ids.append((el.get(k), el.sourceline or 0))
                    elif k in POINTER_ATTRS:
                        pointers[(k, el.get(k))] = None
            elif not any_without:
                continue
            tag = el.tag
            plan = plans.get(tag)
            if plan is None:
                plan = plans[tag] = self._plan(tag)
            needs, plan = plan
            if needs is not None and (not keys or needs.isdisjoint(keys)):
                continue  # (the common case: no rule can apply to this element)
            for entries in plan:
                for rule, needs, rest in entries:
                    if needs is not None and (not keys or needs.isdisjoint(keys)):
                        continue
                    if rest is not None and not rest(el, keys):
                        continue
                    take(rule, el, keys)
                    break
        # Patterns whose rules name their elements: libxml2 finds those elements.
        for pattern, tags in self._named:
            for el in root.iter(*tags):
                keys = el.keys()
                for rule, needs, rest in self._entries(pattern, el.tag):
                    if needs is not None and (not keys or needs.isdisjoint(keys)):
                        continue
                    if rest is not None and not rest(el, keys):
                        continue
                    take(rule, el, keys)
                    break
        variables = None
        for pattern in self.patterns:
            if pattern.compiled:
                continue
            variables = variables if variables is not None else {n: xp(tree) for n, xp in self.global_lets}
            earlier: set[int] = set()
            keep_alive = []  # ids of lxml proxies are only stable while they live
            for rule in pattern.rules:
                nodes = [n for n in rule.context(tree, **variables) if isinstance(n, etree._Element)]
                keep_alive.append(nodes)
                if earlier:
                    nodes = [n for n in nodes if id(n) not in earlier]
                if len(pattern.rules) > 1:
                    earlier.update(id(n) for n in nodes)
                if rule.native_any:
                    for el in nodes:
                        add(rule, el, el.keys())
                selected[rule.number] = nodes
        facts = FileFacts(ids, list(pointers), {r: (lines, qnames, which, list(table))
                                                for r, (lines, qnames, which, table) in groups.items()})
        # Checks that depend on this file alone are done now; XPath ones that do not, at every run.
        for rule in self.rules:
            if not rule.xpath_any:
                continue
            if any(c.native is None and c.cross for c in rule.checks):
                facts.volatile = True
            nodes = selected.get(rule.number, [])
            for check in rule.checks:
                if check.native is not None and not check.cross:
                    facts.found[check.number] = self._local_native(check, nodes, shown)
            local = [c for c in rule.checks if c.native is None and not c.cross]
            if local:
                if variables is None:
                    variables = {n: xp(tree) for n, xp in self.global_lets}
                for check, found in self._run_xpath(rule, local, nodes, tree, shown, variables):
                    facts.found[check.number] = [(d.line, d.col, d.severity, d.message, d.rule, d.hint)
                                                 for d in found]
        return facts

    def _local_native(self, check: Check, nodes: list, shown: str) -> list[tuple]:
        """Findings of a translated check that depends on its file alone, on the rule's elements."""
        memo: dict = {}
        fires, attrs, union = check.fires, check.attrs, check.union
        single = attrs[0] if len(attrs) == 1 and not union else None
        out: list[Diagnostic] = []
        count = 0
        for el in nodes:
            key = el.get(single) if single is not None else _key(attrs, union, el, el.keys())
            hit = memo.get(key)
            if hit is None:
                hit = memo[key] = fires(key)
            if hit:
                count += 1
                if count <= MAX_PER_RULE:
                    if check.native_message is not None:
                        q = local_qname(el)
                        out.append(self._native_diagnostic(shown, el.sourceline or 0, q, key, check))
                    else:
                        out.append(self._diagnostic(shown, el, check, {}))
        if count > MAX_PER_RULE:
            out.append(self._more(shown, out[-1], check, count - MAX_PER_RULE))
        return [(d.line, d.col, d.severity, d.message, d.rule, d.hint) for d in out]

    def _run_xpath(self, rule: Rule, checks: list[Check], nodes: list, tree, shown: str, variables: dict):
        """(check, findings) for checks libxml2 evaluates on the rule's context ``nodes``."""
        if rule.lets:
            found = {c.number: [] for c in checks}
            for node in nodes:
                local = dict(variables)
                for name, xp in rule.lets:
                    local[name] = xp(node, **local)
                for check in checks:
                    if bool(check.test(node, **local)) != check.is_assert:
                        found[check.number].append(self._diagnostic(shown, node, check, local))
            for check in checks:
                yield check, found[check.number]
            return
        for check in checks:
            out = []
            if nodes:
                failing = check.failing(tree, **{_CONTEXT: nodes}, **variables)
                out = [self._diagnostic(shown, n, check, variables) for n in failing[:MAX_PER_RULE]]
                if len(failing) > MAX_PER_RULE:
                    out.append(self._more(shown, out[-1], check, len(failing) - MAX_PER_RULE))
            yield check, out

    def _rule_nodes(self, rule: Rule, tree, variables: dict) -> list:
        """A rule's context nodes in document order, without the nodes an earlier rule of its pattern took."""
        pattern = next(p for p in self.patterns if rule in p.rules)
        if pattern.compiled:
            out = []
            for el in tree.getroot().iter(etree.Element):
                keys = el.keys()
                first = next((r for r in pattern.rules if any(_path_matches(p, el, keys) for p in r.matcher)), None)
                if first is rule:
                    out.append(el)
            return out
        earlier: set[int] = set()
        keep_alive = []
        for r in pattern.rules:
            nodes = [n for n in r.context(tree, **variables) if isinstance(n, etree._Element)]
            keep_alive.append(nodes)
            if earlier:
                nodes = [n for n in nodes if id(n) not in earlier]
            if r is rule:
                return nodes
            earlier.update(id(n) for n in nodes)
        return []

    # -- the edition -----------------------------------------------------
    def findings(self, facts: dict[str, FileFacts], report: dict[str, str],
                 trees: dict[str, etree._ElementTree] | None = None,
                 previous: dict[str, tuple[list, list]] | None = None,
                 record: dict[str, tuple[list, list]] | None = None,
                 same_edition: bool = False) -> list[Diagnostic]:
        """Findings for the files in ``report`` (key -> name shown), with ``facts`` of every file in the edition.

        ``trees`` must hold the parsed tree of every reported file whose facts
        are volatile. ``previous`` maps a file to its findings from an earlier
        run (line, col, severity, message, rule, hint) and the cross-file
        calls they were made with ([function, argument, result]): when every
        call still gives the same result, the findings are reused, not
        recomputed. ``record`` receives the same for every non-volatile
        reported file (for the next run). ``same_edition`` says that the
        edition's files and every file's ids and pointers are those of the run
        that recorded ``previous``: then only the calls that look at the disk
        (pointers to other files) are checked again.
        """
        self._index = EditionIndex(facts)
        self._unresolved_cache = {}
        out: list[Diagnostic] = []
        current: dict[tuple, object] = {}  # (scope, function, argument) -> its result in this edition
        try:
            for key, shown in report.items():
                f = facts[key]
                self._current_key = key
                old = previous.get(key) if previous and not f.volatile else None
                if old is not None and self._still(old[1], key, f, current, same_edition):
                    out.extend(Diagnostic(shown, *d) for d in old[0])
                    if record is not None:
                        record[key] = old
                    continue
                self._calls = {} if record is not None else None
                start = len(out)
                try:
                    self._file_findings(f, key, shown, trees, out)
                finally:
                    calls, self._calls = self._calls, None
                if record is not None and not f.volatile:
                    values = {v: i for i, (_, v) in reversed(list(enumerate(f.pointers)))}
                    record[key] = ([(d.line, d.col, d.severity, d.message, d.rule, d.hint) for d in out[start:]],
                                   [[_CROSS_NAMES.index(name), values.get(arg, arg), result, self._scope(name, arg)]
                                    for (name, arg), result in calls.items()])
        finally:
            self._index = None
        return out

    @staticmethod
    def _scope(name: str, arg: str) -> int:
        """What a cross-file call's result depends on besides the edition: 0 nothing, 1 the file's folder, 2 the file."""
        if name in ("id-count", "id-places"):
            return 0
        if name == "unresolved" and not ("#" in arg and any(t.startswith("#") for t in arg.split())):
            return 1
        return 2

    def _still(self, calls: list, key: str, f: FileFacts, current: dict, same_edition: bool = False) -> bool:
        """Do these recorded calls of file ``key`` all give their recorded results in this edition?

        A call is [function number, argument (or the index of a pointer value of the file), result, scope].
        In the ``same_edition`` only the calls whose result depends on the disk (scope 1) can differ.
        """
        folder = key.rsplit("/", 1)[0]
        self._current_key = key
        pointers = f.pointers
        for number, arg, result, scope in calls:
            if same_edition and scope != 1:
                continue
            if arg.__class__ is int:
                arg = pointers[arg][1]
            name = _CROSS_NAMES[number]
            k = (key if scope == 2 else folder if scope == 1 else "", name, arg)
            now = current.get(k, current)
            if now is current:
                now = current[k] = self._cross(name, arg)
            if now != result:
                return False
        return True

    def _file_findings(self, f: FileFacts, key: str, shown: str, trees, out: list) -> None:
        volatile: dict[int, list[Diagnostic]] = {}
        if f.volatile:
            volatile = self._volatile(trees[key], shown)
        for rule in self.rules:
            group = f.nodes.get(rule.number)
            for check in rule.checks:
                if check.native is not None and check.cross:
                    if group is not None:
                        out.extend(self._native(check, group, shown))
                elif check.number in f.found:
                    out.extend(Diagnostic(shown, *d) for d in f.found[check.number])
                elif check.number in volatile:
                    out.extend(volatile[check.number])

    def _volatile(self, tree, shown: str) -> dict[int, list[Diagnostic]]:
        """Findings of the XPath-evaluated checks that depend on other files (run with the index in place)."""
        variables = {n: xp(tree) for n, xp in self.global_lets}
        found = {}
        for rule in self.rules:
            checks = [c for c in rule.checks if c.native is None and c.cross]
            if checks:
                nodes = self._rule_nodes(rule, tree, variables)
                for check, diags in self._run_xpath(rule, checks, nodes, tree, shown, variables):
                    found[check.number] = diags
        return found

    def _native(self, check: Check, group, shown: str) -> list[Diagnostic]:
        lines, qnames, which, keys = group
        fires, project = check.fires, check.project
        memo: dict = {}
        failing = set()
        for i, key in enumerate(keys):
            own = project(key)
            hit = memo.get(own)
            if hit is None:
                hit = memo[own] = fires(own)
            if hit:
                failing.add(i)
        if not failing:
            return []
        out: list[Diagnostic] = []
        count = 0
        for line, qname, k in zip(lines, qnames, which):
            if k in failing:
                count += 1
                if count <= MAX_PER_RULE:
                    out.append(self._native_diagnostic(shown, line, qname, project(keys[k]), check))
        if count > MAX_PER_RULE:
            out.append(self._more(shown, out[-1], check, count - MAX_PER_RULE))
        return out

    def _native_diagnostic(self, path: str, line: int, qname: str, key, check: Check) -> Diagnostic:
        parts = []
        for part in check.native_message:
            if isinstance(part, str):
                parts.append(part)
            elif part[0] == "name":
                parts.append(qname)
            else:
                parts.append(_as_text(part[1](key)))
        message = " ".join("".join(parts).split())
        col = element_column(path, line, qname) if line else 0
        return Diagnostic(path, line, col, check.severity, message, check.rule_id, check.hint)

    # -- running ---------------------------------------------------------
    def check(self, trees: dict[str, etree._ElementTree], report_keys: set[str] | None = None,
              names: dict[str, str] | None = None) -> list[Diagnostic]:
        """Run every rule on every tree; ``trees`` maps an absolute path to its tree.

        Only files in ``report_keys`` (default: all) are reported on, as
        ``names[key]`` (default: the key); the others serve cross-references.
        """
        names = names or {}
        shown = {k: names.get(k, k) for k in trees if report_keys is None or k in report_keys}
        facts = {k: self.facts(t, shown.get(k, k)) for k, t in trees.items()}
        return self.findings(facts, shown, trees)

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
                parts.append(_as_text(part[1](node, **variables)))
        message = " ".join("".join(parts).split())
        line = node.sourceline or 0
        col = element_column(path, line, local_qname(node)) if line else 0
        return Diagnostic(path, line, col, check.severity, message, check.rule_id, check.hint)


def _as_text(value) -> str:
    """A value-of result as message text."""
    if isinstance(value, list):
        return " ".join(str(v) if not isinstance(v, etree._Element) else (v.text or "") for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


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

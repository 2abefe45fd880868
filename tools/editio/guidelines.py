"""The encoding guidelines page, generated from the schema the edition is checked against.

``render_page()`` reads ``editio.rng`` (every element, its ``a:documentation``,
attributes with their closed value lists, what it may contain) and
``editio.sch`` (every rule with its id, role, context and message) and makes
``guidelines.html``: a standalone HTML5 page for the site, with examples taken
from the edition's own TEI files. Output is deterministic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .xmlload import load_xml

RNG = "http://relaxng.org/ns/structure/1.0"
ANN = "http://relaxng.org/ns/compatibility/annotations/1.0"
SCH = "http://purl.oclc.org/dsdl/schematron"
TEI = "http://www.tei-c.org/ns/1.0"
_R = "{" + RNG + "}"
_DOC = "{" + ANN + "}documentation"
_EXAMPLE_MAX = 900


@dataclass
class Attribute:
    name: str
    documentation: str = ""
    required: bool = False
    values: list[tuple[str, str]] = field(default_factory=list)  # closed list: (value, documentation)
    datatype: str = ""


@dataclass
class Element:
    name: str
    documentation: list[str] = field(default_factory=list)
    attributes: dict[str, Attribute] = field(default_factory=dict)
    children: set[str] = field(default_factory=set)
    text: bool = False


@dataclass
class Rule:
    pattern: str
    pattern_title: str
    context: str
    id: str
    role: str
    kind: str  # assert | report
    test: str
    message: str
    fix: str = ""


def _doc(node) -> str:
    """The a:documentation directly under ``node``, whitespace collapsed."""
    texts = [" ".join("".join(d.itertext()).split()) for d in node if d.tag == _DOC]
    return " ".join(t for t in texts if t)


def _significant(node):
    return [c for c in node if isinstance(c.tag, str) and c.tag.startswith(_R)]


class _Schema:
    def __init__(self, tree):
        self.root = tree.getroot()
        self.defines = {}
        for d in self.root.iter(_R + "define"):
            # combine="choice"/"interleave" defines: keep them all
            self.defines.setdefault(d.get("name"), []).append(d)
        # define name -> the element pattern it is made of, for the defines that are one element (looked up for
        # every reference the walks meet: worked out once)
        self.element_defines: dict[str, etree._Element] = {}
        for name, nodes in self.defines.items():
            for d in nodes:
                sig = _significant(d)
                if len(sig) == 1 and sig[0].tag == _R + "element":
                    self.element_defines.setdefault(name, sig[0])

    def is_element_define(self, name: str) -> bool:
        return name in self.element_defines

    def element_name_of(self, name: str) -> str | None:
        node = self.element_defines.get(name)
        return node.get("name") if node is not None else None

    def values_of(self, node, seen) -> tuple[list[tuple[str, str]], str]:
        """(closed value list, datatype) of an attribute's content pattern."""
        values: list[tuple[str, str]] = []
        types: list[str] = []

        def walk(n):
            for c in _significant(n):
                tag = c.tag[len(_R):]
                if tag == "value":
                    doc = ""
                    nxt = c.getnext()
                    while nxt is not None and not isinstance(nxt.tag, str):
                        nxt = nxt.getnext()
                    if nxt is not None and nxt.tag == _DOC:
                        doc = " ".join("".join(nxt.itertext()).split())
                    values.append(((c.text or "").strip(), doc))
                elif tag == "data":
                    types.append(c.get("type", ""))
                elif tag == "ref":
                    name = c.get("name")
                    if name not in seen:
                        seen.add(name)
                        if not values and name.startswith("data."):
                            types.append(name)
                        for d in self.defines.get(name, []):
                            walk(d)
                else:
                    walk(c)

        walk(node)
        return values, next((t for t in types if t), "")

    def data_doc(self, attribute_node) -> str:
        """The documentation of the datatype an attribute refers to (data.certainty: "How sure...")."""
        for ref in attribute_node.iter(_R + "ref"):
            for d in self.defines.get(ref.get("name"), []):
                if _doc(d):
                    return _doc(d)
        return ""

    def global_attributes(self) -> dict[str, Attribute]:
        """The attributes of att.global (every element may carry them), if the schema has it."""
        holder = Element("*")
        if "att.global" in self.defines:
            fake = etree.Element(_R + "element")
            etree.SubElement(fake, _R + "ref", name="att.global")
            self.collect(fake, holder)
        return holder.attributes

    def collect(self, element_node, into: Element) -> None:
        """Attributes, children and text of one ``element`` pattern."""

        def walk(node, optional: bool, seen: set[str], context_doc: str = ""):
            for c in _significant(node):
                tag = c.tag[len(_R):]
                if tag == "element":
                    if c.get("name"):
                        into.children.add(c.get("name"))
                elif tag == "attribute":
                    name = c.get("name") or "".join(c.findtext(_R + "name") or "")
                    values, datatype = self.values_of(c, set())
                    doc = _doc(c) or context_doc or self.data_doc(c)
                    att = into.attributes.get(name)
                    if att is None:
                        into.attributes[name] = Attribute(name, doc, not optional, values, datatype)
                    else:
                        att.documentation = att.documentation or doc
                        att.values = att.values or values
                        att.required = att.required and not optional
                elif tag in ("text", "data", "value", "mixed"):
                    into.text = True
                    if tag == "mixed":
                        walk(c, optional, seen, context_doc)
                elif tag == "ref":
                    name = c.get("name")
                    if self.is_element_define(name):
                        child = self.element_name_of(name)
                        if child:
                            into.children.add(child)
                    elif name not in seen:
                        for d in self.defines.get(name, []):
                            walk(d, optional, seen | {name}, _doc(d) if name.startswith("att.") else "")
                elif tag in ("optional", "zeroOrMore", "choice"):
                    walk(c, True, seen, context_doc)
                elif tag in ("oneOrMore", "group", "interleave", "list"):
                    walk(c, optional, seen, context_doc)

        walk(element_node, False, set())

    def elements(self) -> dict[str, Element]:
        out: dict[str, Element] = {}
        for node in self.root.iter(_R + "element"):
            name = node.get("name")
            if not name:
                continue
            el = out.setdefault(name, Element(name))
            parent = node.getparent()
            for doc in (_doc(parent) if parent is not None and parent.tag == _R + "define" else "", _doc(node)):
                if doc and doc not in el.documentation:
                    el.documentation.append(doc)
            self.collect(node, el)
        return dict(sorted(out.items(), key=lambda kv: kv[0].lower()))


def read_schema(rng_path: str | Path) -> tuple[str, dict[str, Element], dict[str, Attribute]]:
    """(the grammar's documentation, the elements it allows by name, the global attributes) of a RelaxNG schema."""
    schema = _Schema(load_xml(rng_path))
    return _doc(schema.root), schema.elements(), schema.global_attributes()


def _message(node) -> str:
    parts = [node.text or ""]
    for c in node:
        if c.tag == f"{{{SCH}}}name":
            parts.append("<" + (c.get("path") or "element") + ">")
        elif c.tag == f"{{{SCH}}}value-of":
            parts.append("{" + (c.get("select") or "") + "}")
        elif isinstance(c.tag, str):
            parts.append("".join(c.itertext()))
        parts.append(c.tail or "")
    return " ".join("".join(parts).split())


def read_rules(sch_path: str | Path) -> list[Rule]:
    """Every assert and report of a Schematron schema, in document order."""
    root = load_xml(sch_path).getroot()
    ns = {"sch": SCH}
    fixes = {d.get("id"): " ".join("".join(d.itertext()).split()) for d in root.iterfind(".//sch:diagnostic", ns)}
    out = []
    for pattern in root.iterfind(".//sch:pattern", ns):
        title = " ".join("".join(t.itertext()).split()) if (t := pattern.find("sch:title", ns)) is not None else ""
        for rule in pattern.iterfind("sch:rule", ns):
            for check in rule:
                if check.tag not in (f"{{{SCH}}}assert", f"{{{SCH}}}report"):
                    continue
                kind = check.tag.rsplit("}", 1)[1]
                fix = " ".join(fixes.get(d, "") for d in (check.get("diagnostics") or "").split()).strip()
                out.append(Rule(pattern.get("id", ""), title, rule.get("context", ""), check.get("id", ""),
                                check.get("role") or "error", kind, check.get("test", ""), _message(check), fix))
    return out


# --- examples ----------------------------------------------------------------

def _strip_ns(el) -> etree._Element:
    copy = etree.fromstring(etree.tostring(el, with_tail=False))
    for node in copy.iter():
        if isinstance(node.tag, str) and node.tag.startswith("{" + TEI + "}"):
            node.tag = node.tag.split("}", 1)[1]
    etree.cleanup_namespaces(copy)
    return copy


def _dedent(text: str) -> str:
    lines = text.split("\n")
    rest = [line for line in lines[1:] if line.strip()]
    indent = min((len(line) - len(line.lstrip(" ")) for line in rest), default=0)
    # the first line had its indentation cut off by the serialisation
    return "\n".join([lines[0]] + [line[indent:] if line.strip() else "" for line in lines[1:]]).rstrip()


def _example(el) -> str:
    copy = _strip_ns(el)
    text = etree.tostring(copy, encoding="unicode")
    if len(text) > _EXAMPLE_MAX:
        # keep the element and its children, not their content
        for child in copy:
            if isinstance(child.tag, str) and len(child):
                for grandchild in list(child):
                    child.remove(grandchild)
                child.text = "…"
        text = etree.tostring(copy, encoding="unicode")
        if len(text) > _EXAMPLE_MAX:
            text = text[:_EXAMPLE_MAX].rsplit("\n", 1)[0] + "\n…"
    text = re.sub(r' xmlns(:\w+)?="[^"]*"', "", text, count=0)
    return _dedent(text)


def find_examples(tei_files: list[Path], names: set[str]) -> dict[str, tuple[str, str]]:
    """The first occurrence of each element name in the files: name -> (file name, pretty XML).

    Occurrences in the text of a chapter come first, then the register, then headers,
    so that ``p`` is shown as a paragraph of the edition rather than of a header.
    """
    best: dict[str, tuple[tuple[int, int], Path, etree._Element]] = {}
    for order, path in enumerate(tei_files):
        try:
            root = load_xml(path).getroot()
        except Exception:  # an unreadable file just gives no examples
            continue
        has_chapter = root.find(f"{{{TEI}}}text/{{{TEI}}}body/{{{TEI}}}div") is not None
        for el in root.iter():
            if not isinstance(el.tag, str) or not el.tag.startswith("{" + TEI + "}"):
                continue
            name = el.tag.split("}", 1)[1]
            if name not in names:
                continue
            in_header = any(a.tag == f"{{{TEI}}}teiHeader" for a in el.iterancestors())
            rank = (2 if in_header else (0 if has_chapter else 1), order)
            if name not in best or rank < best[name][0]:
                best[name] = (rank, Path(path), el)
    return {name: (path.name, _example(el)) for name, (_rank, path, el) in sorted(best.items())}


# --- the page ----------------------------------------------------------------

def _e(parent, tag: str, text: str | None = None, **attrs) -> etree._Element:
    el = etree.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()})
    if text:
        el.text = text
    return el


def _inline_code(parent, text: str) -> None:
    """Text with `backticked` parts as code elements."""
    pieces = re.split(r"`([^`]+)`", text)
    last = None
    for i, piece in enumerate(pieces):
        if i % 2:
            last = _e(parent, "code", piece)
        elif last is None:
            parent.text = (parent.text or "") + piece
        else:
            last.tail = (last.tail or "") + piece


def _attribute_table(parent, caption: str, attributes) -> None:
    table = _e(parent, "table", class_="attributes")
    _e(table, "caption", caption)
    row = _e(_e(table, "thead"), "tr")
    for h in ("Attribute", "Required", "Meaning", "Values"):
        _e(row, "th", h, scope="col")
    tbody = _e(table, "tbody")
    for att in sorted(attributes, key=lambda a: a.name):
        tr = _e(tbody, "tr")
        _e(_e(tr, "th", scope="row"), "code", "@" + att.name)
        _e(tr, "td", "yes" if att.required else "no")
        _inline_code(_e(tr, "td"), att.documentation)
        cell = _e(tr, "td")
        if att.values:
            dl = _e(cell, "dl", class_="values")
            for value, doc in att.values:
                _e(_e(dl, "dt"), "code", value)
                _inline_code(_e(dl, "dd"), doc or "")
        elif att.datatype:
            cell.text = att.datatype


def render_page(tei_files: list[str | Path] | None = None, *, rng_path: str | Path | None = None,
                sch_path: str | Path | None = None, title: str = "Encoding guidelines",
                css_href: str = "assets/editio.css", home_href: str = "index.html",
                lang: str = "en") -> bytes:
    """``guidelines.html``: the schema's elements, attributes and rules, with examples from ``tei_files``.

    Defaults: the schema shipped with editio, and the TEI files of the edition
    in the current folder (edition.toml ``inputs``).
    """
    from .resources import schema_path

    rng_path = Path(rng_path or schema_path("editio.rng"))
    sch_path = Path(sch_path or schema_path("editio.sch"))
    if tei_files is None:
        from .config import load_config

        tei_files = load_config().input_files()
    grammar_doc, elements, global_attributes = read_schema(rng_path)
    rules = read_rules(sch_path) if sch_path.is_file() else []
    examples = find_examples([Path(p) for p in tei_files], set(elements))

    html = etree.Element("html", lang=lang)
    head = _e(html, "head")
    _e(head, "meta", charset="utf-8")
    _e(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    _e(head, "title", title)
    _e(head, "link", rel="stylesheet", href=css_href)
    body = _e(html, "body", class_="guidelines")
    _e(body, "a", "Skip to the guidelines", href="#main", class_="skip-link")
    header = _e(body, "header", role="banner")
    _e(_e(header, "p", class_="site-title"), "a", "Home", href=home_href)
    _e(header, "h1", title)
    main = _e(body, "main", id="main")
    intro = _e(main, "p")
    _inline_code(intro, grammar_doc or "The elements and rules of this edition's TEI.")
    _e(main, "p", f"Generated from {rng_path.name} ({len(elements)} elements) and {sch_path.name} "
                  f"({len(rules)} rules). Examples are the first occurrence of each element in the edition.")

    toc = _e(main, "nav", aria_label="Contents", class_="toc")
    _e(toc, "h2", "Contents", id="contents")
    toc_list = _e(toc, "ol")
    if global_attributes:
        _e(_e(toc_list, "li"), "a", "Global attributes", href="#global-attributes")
    _e(_e(toc_list, "li"), "a", "Elements", href="#elements")
    sub = _e(toc_list[-1], "ol", class_="element-index")
    for name in elements:
        _e(_e(sub, "li"), "a", name, href=f"#el-{name}")
    _e(_e(toc_list, "li"), "a", "Schematron rules", href="#rules")

    if global_attributes:
        section = _e(main, "section", aria_labelledby="global-attributes")
        _e(section, "h2", "Global attributes", id="global-attributes")
        _e(section, "p", "Every element may carry these attributes.")
        _attribute_table(section, "Global attributes", global_attributes.values())

    section = _e(main, "section", aria_labelledby="elements")
    _e(section, "h2", "Elements", id="elements")
    for name, el in elements.items():
        art = _e(section, "section", id=f"el-{name}", class_="element", aria_labelledby=f"el-{name}-h")
        _e(_e(art, "h3", id=f"el-{name}-h"), "code", f"<{name}>")
        for doc in el.documentation:
            _inline_code(_e(art, "p"), doc)
        own = {k: a for k, a in el.attributes.items() if k not in global_attributes}
        if own:
            _attribute_table(art, f"Attributes of {name}", own.values())
        if global_attributes and set(global_attributes) <= set(el.attributes):
            p = _e(art, "p", "Also the ", class_="global-note")
            _e(p, "a", "global attributes", href="#global-attributes").tail = "."
        contains = sorted(el.children, key=str.lower)
        if contains or el.text:
            p = _e(art, "p", "May contain: ", class_="contains")
            if el.text:
                _e(p, "span", "text" + (", " if contains else ""))
            for i, child in enumerate(contains):
                link = _e(p, "a", child, href=f"#el-{child}") if child in elements else _e(p, "code", child)
                link.tail = ", " if i < len(contains) - 1 else ""
        parents = sorted((p for p, e in elements.items() if name in e.children), key=str.lower)
        if parents:
            p = _e(art, "p", "Contained in: ", class_="contained-in")
            for i, parent in enumerate(parents):
                _e(p, "a", parent, href=f"#el-{parent}").tail = ", " if i < len(parents) - 1 else ""
        if name in examples:
            fig = _e(art, "figure", class_="example")
            _e(_e(fig, "pre"), "code", examples[name][1])
            _e(fig, "figcaption", f"Example from {examples[name][0]}")

    section = _e(main, "section", aria_labelledby="rules")
    _e(section, "h2", "Schematron rules", id="rules")
    _e(section, "p", "Rules the grammar cannot express; editio validate reports each with its id in brackets.")
    if rules:
        table = _e(section, "table", class_="rules")
        _e(table, "caption", f"The rules of {sch_path.name}")
        row = _e(_e(table, "thead"), "tr")
        for h in ("Rule", "Severity", "Applies to", "Message", "How to fix"):
            _e(row, "th", h, scope="col")
        tbody = _e(table, "tbody")
        for r in rules:
            tr = _e(tbody, "tr", id=f"rule-{r.id}") if r.id else _e(tbody, "tr")
            _e(_e(tr, "th", scope="row"), "code", r.id or "(no id)")
            _e(tr, "td", r.role)
            _e(_e(tr, "td"), "code", r.context)
            _e(tr, "td", r.message)
            _e(tr, "td", r.fix)
    footer = _e(body, "footer", role="contentinfo")
    _e(footer, "p", "Generated by editio from the edition's schema; the schema is the authority.")
    out = etree.tostring(html, method="html", encoding="unicode", doctype="<!DOCTYPE html>")
    return out.encode("utf-8")

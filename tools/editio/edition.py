"""An edition: its settings and the TEI files it is made of."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .diagnostics import usage_error

if TYPE_CHECKING:
    from .config import Config

TEI_NS = "http://www.tei-c.org/ns/1.0"
NS = {"tei": TEI_NS}
REGISTER_NAMES = ("listPerson", "listPlace", "listOrg", "listEvent")


def collect_xml_files(paths: list[str | Path]) -> list[Path]:
    """Expand folders to the ``*.xml`` files below them; keep files as given.

    Missing paths are kept so that loading reports them with exit code 2.
    """
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*.xml") if q.is_file()))
        else:
            out.append(p)
    seen: set[Path] = set()
    unique = []
    for p in out:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def is_register(tree) -> bool:
    """A register file holds entity lists and no chapter text (no body div)."""
    root = tree.getroot()
    has_lists = any(root.find(f".//{{{TEI_NS}}}{n}") is not None for n in REGISTER_NAMES)
    has_div = root.find(f".//{{{TEI_NS}}}body/{{{TEI_NS}}}div") is not None
    return has_lists and not has_div


def body_note_count(tree) -> int:
    """How many notes a chapter's body has, not counting notes inside notes (the notes its extract lists)."""
    return int(tree.xpath("count(/t:TEI/t:text/t:body//t:note[not(ancestor::t:note)])", namespaces={"t": TEI_NS}))


def title_xml(root) -> str:
    """What a chapter's title is made from, as XML: a copy of the chapter with only its header's titleStmt and
    the first head of its body (``f:chapter-title`` in xslt/common/document.xsl looks at nothing else), so that
    titles can be made without handing Saxon whole chapters."""
    from copy import deepcopy

    from lxml import etree

    tei = f"{{{TEI_NS}}}"
    out = etree.Element(root.tag, nsmap=root.nsmap)
    stmt = root.find(f"{tei}teiHeader/{tei}fileDesc/{tei}titleStmt")
    if stmt is not None:
        header = etree.SubElement(etree.SubElement(out, f"{tei}teiHeader"), f"{tei}fileDesc")
        header.append(deepcopy(stmt))
    head = next(iter(root.xpath("(//t:text/t:body//t:head)[1]", namespaces={"t": TEI_NS})), None)
    if head is not None:
        body = etree.SubElement(etree.SubElement(out, f"{tei}text"), f"{tei}body")
        copy = deepcopy(head)
        copy.tail = None
        body.append(copy)
    return etree.tostring(out, encoding="unicode")


@dataclass
class Edition:
    """The TEI files of one edition, in reading order, with its settings."""

    config: Config
    files: list[Path] = field(default_factory=list)

    @classmethod
    def load(cls, root: str | Path | None = None, paths: list[str | Path] | None = None) -> "Edition":
        """The edition in ``root`` (edition.toml there), or the given ``paths``."""
        from .config import load_config  # not at import: `editio validate PATHS` never reads edition.toml

        config = load_config(root)
        files = collect_xml_files(paths) if paths else config.input_files()
        if not files:
            raise usage_error(config.root, "no TEI files found", "io.no-input",
                              f"put the edition's TEI in tei/ or set 'inputs' in edition.toml")
        return cls(config=config, files=files)

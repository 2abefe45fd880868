"""Where each piece of text of a TEI file lies in its raw source, for byte-exact editing.

lxml tells the structure but not the offsets of text; this module scans the raw
document once with a small lexer for well-formed XML, pairs the k-th start tag
it sees with the k-th element lxml parsed, and so knows for every run of
character data its element, its raw offsets, its decoded text, and whether it is
editable running text: inside a ``p`` or ``head`` of ``tei:text`` and not inside
anything already tagged (names, dates, choices, notes, references...).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from lxml import etree

from .edition import TEI_NS

#: Elements through which running text stays open to annotation.
INLINE_OPEN = frozenset({"hi", "q", "quote", "said", "foreign", "term", "emph", "seg", "s", "l", "lg", "cit", "mentioned", "soCalled"})
#: Blocks whose text is annotated.
BLOCKS = frozenset({"p", "head"})
#: Structure between ``text`` and a block.
STRUCTURE = frozenset({"body", "front", "back", "div", "div1", "div2", "div3", "div4", "group", "argument", "opener", "closer"})

_TOKEN = re.compile(
    r"""(?P<comment><!--.*?-->)
      |(?P<cdata><!\[CDATA\[(?P<cdatatext>.*?)\]\]>)
      |(?P<pi><\?.*?\?>)
      |(?P<decl><![^>]*>)
      |(?P<end></[^>]*>)
      |(?P<start><[^\s/>!?][^\s/>]*(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*(?P<empty>/)?>)
      |(?P<text>[^<]+)""",
    re.S | re.X,
)
_ENTITY = re.compile(r"&(#x[0-9A-Fa-f]+|#\d+|\w+);")


@dataclass
class TextRun:
    """One run of character data: ``raw[start:end]`` in the file decodes to ``text``."""

    start: int
    end: int
    text: str
    element: etree._Element
    #: the ``p``/``head`` this run belongs to when it is open to annotation, else None
    block: etree._Element | None
    #: text of the same block before this run (for sentence boundaries)
    before: str = ""
    #: raw offset of each decoded character (plus one past the end); None when identical
    offsets: list[int] | None = field(default=None, repr=False)

    def raw_offset(self, i: int) -> int:
        """Raw offset in the file of decoded index ``i`` (0..len(text))."""
        return self.start + i if self.offsets is None else self.offsets[i]


def local_name(el) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _decode(raw: str, start: int) -> tuple[str, list[int] | None]:
    if "&" not in raw:
        return raw, None
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _ENTITY.finditer(raw):
        for i in range(pos, m.start()):
            out.append(raw[i])
            offsets.append(start + i)
        out.append(html.unescape(m.group(0)))
        offsets.append(start + m.start())
        pos = m.end()
    for i in range(pos, len(raw)):
        out.append(raw[i])
        offsets.append(start + i)
    offsets.append(start + len(raw))
    return "".join(out), offsets


class _Eligibility:
    """Caches, per element, the block it opens to annotation (or None)."""

    def __init__(self) -> None:
        # keyed by id(); the element is kept alive in the value so that lxml
        # cannot hand the same id to another element proxy later
        self.cache: dict[int, tuple[etree._Element, etree._Element | None]] = {}

    def block_of(self, el) -> etree._Element | None:
        key = id(el)
        if key in self.cache:
            return self.cache[key][1]
        block = None
        found = None
        node = el
        while node is not None:
            if not isinstance(node.tag, str) or not node.tag.startswith("{" + TEI_NS + "}"):
                break
            name = local_name(node)
            if name in BLOCKS:
                if found is None:
                    found = node
            elif name == "text":
                block = found
                break
            elif name in INLINE_OPEN:
                if found is not None:
                    break  # a block inside an inline element: not running text
            elif name not in STRUCTURE:
                break
            node = node.getparent()
        self.cache[key] = (el, block)
        return block


def text_runs(raw: str, tree: etree._ElementTree) -> list[TextRun]:
    """Every run of character data inside the root element, in document order.

    ``raw`` must be the exact text lxml parsed into ``tree``. Raises ValueError
    when the two disagree (they never should for a well-formed file).
    """
    elements = iter(tree.getroot().iter(etree.Element))
    stack: list[etree._Element] = []
    runs: list[TextRun] = []
    eligibility = _Eligibility()
    block_text: dict[int, tuple[etree._Element, list[str]]] = {}
    for m in _TOKEN.finditer(raw):
        kind = m.lastgroup
        if kind == "empty" or kind == "start":
            el = next(elements, None)
            if el is None:
                raise ValueError("more start tags than elements")
            if not m.group("empty"):
                stack.append(el)
        elif kind == "end":
            if not stack:
                raise ValueError("unbalanced end tag")
            stack.pop()
        elif kind in ("text", "cdatatext", "cdata") and stack:
            if kind == "text":
                start, end = m.start(), m.end()
                text, offsets = _decode(m.group(0), start)
            else:
                start, end = m.start("cdatatext"), m.end("cdatatext")
                text, offsets = m.group("cdatatext"), None
            parent = stack[-1]
            block = eligibility.block_of(parent)
            # sentence context: the text of the enclosing p/head so far, tagged or not
            owner = _owning_block(parent)
            seen = block_text.setdefault(id(owner), (owner, []))[1] if owner is not None else []
            before = "".join(seen)[-40:]
            if owner is not None and not _inside_note(parent, owner):
                seen.append(text)
            runs.append(TextRun(start, end, text, parent, block, before, offsets))
    if next(elements, None) is not None:
        raise ValueError("fewer start tags than elements")
    return runs


def _owning_block(el):
    node = el
    while node is not None:
        if local_name(node) in BLOCKS:
            return node
        node = node.getparent()
    return None


def _inside_note(el, block) -> bool:
    node = el
    while node is not None and node is not block:
        if local_name(node) == "note":
            return True
        node = node.getparent()
    return False


def line_col(raw: str, offset: int, line_starts: list[int] | None = None) -> tuple[int, int]:
    """1-based line and column (in characters) of ``offset`` in ``raw``."""
    if line_starts is None:
        line_starts = line_index(raw)
    import bisect

    i = bisect.bisect_right(line_starts, offset) - 1
    return i + 1, offset - line_starts[i] + 1


def line_index(raw: str) -> list[int]:
    """Offsets at which each line of ``raw`` starts."""
    return [0] + [m.end() for m in re.finditer("\n", raw)]

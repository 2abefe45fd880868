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
      |(?P<start><(?P<qname>[^\s/>!?][^\s/>]*)(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*(?P<empty>/)?>)
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


# phases of an open element, computed top-down as the lexer opens it
_OUTSIDE, _STRUCTURE, _BLOCK, _INLINE, _CLOSED = range(5)
_TEI_PREFIX = "{" + TEI_NS + "}"


@dataclass
class _Frame:
    element: etree._Element
    phase: int
    block: etree._Element | None  # the open p/head, when phase is _BLOCK or _INLINE
    owner: etree._Element | None  # nearest p/head ancestor-or-self, open or not
    in_note: bool


def _child_frame(parent: _Frame | None, el, name: str, tei: bool) -> _Frame:
    phase, block = _CLOSED, None
    if parent is None:
        phase = _OUTSIDE
    elif tei:
        if parent.phase == _OUTSIDE:
            phase = _STRUCTURE if name == "text" else _OUTSIDE
        elif parent.phase == _STRUCTURE:
            if name in STRUCTURE:
                phase = _STRUCTURE
            elif name in BLOCKS:
                phase, block = _BLOCK, el
        elif parent.phase in (_BLOCK, _INLINE):
            if name in INLINE_OPEN:
                phase, block = _INLINE, parent.block
            elif name in BLOCKS and parent.phase == _BLOCK:
                phase, block = _BLOCK, el
    if tei and name in BLOCKS:
        owner, in_note = el, False
    elif parent is not None:
        owner, in_note = parent.owner, parent.in_note or (tei and name == "note")
    else:
        owner, in_note = None, False
    return _Frame(el, phase, block, owner, in_note)


_HEADER_END = re.compile(r"</(?:[^\s/>:]+:)?teiHeader\s*>")


def text_runs(raw: str, tree: etree._ElementTree, open_only: bool = False) -> list[TextRun]:
    """Every run of character data inside the root element, in document order.

    With ``open_only``, only the runs open to annotation (``block`` set); the
    teiHeader is then skipped without lexing it. ``raw`` must be the exact text
    lxml parsed into ``tree``; every start tag is checked against the element
    lxml saw there. Raises ValueError when the two disagree.
    """
    if open_only:
        try:
            return _text_runs(raw, tree, True, skip_header=True)
        except ValueError:
            pass  # e.g. "</teiHeader>" inside a comment of the header: lex it all
    return _text_runs(raw, tree, open_only, skip_header=False)


def _text_runs(raw: str, tree, open_only: bool, skip_header: bool) -> list[TextRun]:
    root = tree.getroot()
    elements = iter(root.iter(etree.Element))
    stack: list[_Frame] = []
    runs: list[TextRun] = []
    # last characters of each block's text so far (sentence context), keyed by id(owner)
    tails: dict[int, tuple[etree._Element, str]] = {}
    names: dict[str, tuple[str, bool]] = {}
    position = 0
    header = root.find(_TEI_PREFIX + "teiHeader") if skip_header else None
    if header is not None:
        end = _HEADER_END.search(raw)
        if end is None:
            raise ValueError("no teiHeader end tag")
        skipped = 1 + sum(1 for _ in header.iter(etree.Element))  # the root and the header
        first = [next(elements) for _ in range(skipped)][0]
        stack.append(_child_frame(None, first, first.tag.rsplit("}", 1)[-1], first.tag.startswith(_TEI_PREFIX)))
        position = end.end()
    for m in _TOKEN.finditer(raw, position):
        kind = m.lastgroup
        if kind == "start":
            el = next(elements, None)
            if el is None:
                raise ValueError("more start tags than elements")
            tag = el.tag
            if tag not in names:
                names[tag] = (tag.rsplit("}", 1)[-1], tag.startswith(_TEI_PREFIX))
            name, tei = names[tag]
            if m.group("qname").rpartition(":")[2] != name:
                raise ValueError(f"start tag <{m.group('qname')}> is not the element <{name}> lxml parsed")
            frame = _child_frame(stack[-1] if stack else None, el, name, tei)
            if not m.group("empty"):
                stack.append(frame)
        elif kind == "end":
            if not stack:
                raise ValueError("unbalanced end tag")
            stack.pop()
        elif kind in ("text", "cdata") and stack:
            frame = stack[-1]
            if open_only and frame.owner is None:
                continue
            if kind == "text":
                start, end = m.start(), m.end()
                text, offsets = _decode(m.group(0), start)
            else:
                start, end = m.start("cdatatext"), m.end("cdatatext")
                text, offsets = m.group("cdatatext"), None
            before = ""
            if frame.owner is not None:
                key = id(frame.owner)
                before = tails[key][1] if key in tails else ""
                if not frame.in_note:
                    tails[key] = (frame.owner, (before + text)[-40:])
            block = frame.block if frame.phase in (_BLOCK, _INLINE) else None
            if block is not None or not open_only:
                runs.append(TextRun(start, end, text, frame.element, block, before, offsets))
    if next(elements, None) is not None:
        raise ValueError("fewer start tags than elements")
    return runs


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

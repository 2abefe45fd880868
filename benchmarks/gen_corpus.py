#!/usr/bin/env python3
"""Generate a synthetic edition of N chapters for benchmarks.

Each chapter is the edition's real chapter (tei/secret-history-59.xml, or the
sample fixture before it exists) with every xml:id made unique, in-file
pointers rewritten to match, and the paragraphs rotated so the texts differ.
The register is shared, as in a real edition.

    python benchmarks/gen_corpus.py --chapters 200 /tmp/corpus200
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
TEI = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
POINTER_ATTRS = ("resp", "target", "who", "corresp", "ref")


def source_edition() -> tuple[Path, Path]:
    real = ROOT / "tei" / "secret-history-59.xml"
    if real.is_file() and (ROOT / "tei" / "register.xml").is_file():
        return real, ROOT / "tei" / "register.xml"
    sample = ROOT / "tests" / "fixtures" / "valid" / "sample"
    return sample / "chapter-1.xml", sample / "register.xml"


def make_chapter(template: bytes, n: int) -> bytes:
    """A copy of the template chapter with unique ids and rotated paragraphs."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    tree = etree.fromstring(template, parser).getroottree()
    prefix = f"c{n:04d}-"
    ids = {el.get(XML_ID) for el in tree.iter() if el.get(XML_ID)}
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        if el.get(XML_ID):
            el.set(XML_ID, prefix + el.get(XML_ID))
        for attr in POINTER_ATTRS:
            value = el.get(attr)
            if value:
                el.set(attr, " ".join(
                    "#" + prefix + v[1:] if v.startswith("#") and v[1:] in ids else v for v in value.split()))
    div = tree.find(f".//{{{TEI}}}body/{{{TEI}}}div")
    if div is not None:
        div.set("n", str(n))
        paras = div.findall(f"{{{TEI}}}p")
        k = n % len(paras) if paras else 0
        if k:
            anchor = paras[0].getprevious()
            for p in paras:
                div.remove(p)
            rotated = paras[k:] + paras[:k]
            pos = list(div).index(anchor) + 1 if anchor is not None else 0
            for i, p in enumerate(rotated):
                div.insert(pos + i, p)
        head = div.find(f"{{{TEI}}}head")
        if head is not None:
            head.tail = (head.tail or "")
            head.text = f"Chapter {n}: " + (head.text or "")
    for title in tree.iterfind(f".//{{{TEI}}}titleStmt/{{{TEI}}}title"):
        if title.get("type", "main") == "main":
            title.text = f"{title.text} ({n})"
            break
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def generate(chapters: int, out: Path) -> Path:
    chapter, register = source_edition()
    if out.exists():
        shutil.rmtree(out)
    tei = out / "tei"
    tei.mkdir(parents=True)
    template = chapter.read_bytes()
    # xml-model PIs point at ../schema relative to tei/; keep schema reachable
    schema_src = ROOT / "schema"
    if schema_src.is_dir():
        shutil.copytree(schema_src, out / "schema")
    reg_bytes = register.read_bytes()
    (tei / "register.xml").write_bytes(re.sub(rb'href="[^"]*schema/', b'href="../schema/', reg_bytes))
    for n in range(1, chapters + 1):
        data = make_chapter(template, n)
        (tei / f"ch-{n:04d}.xml").write_bytes(re.sub(rb'href="[^"]*schema/', b'href="../schema/', data))
    (out / "edition.toml").write_text(
        f'title = "Synthetic edition of {chapters} chapters"\n'
        'editors = ["Benchmark"]\ninputs = ["tei/*.xml"]\noutput = "site"\n', encoding="utf-8")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chapters", type=int, default=200)
    ap.add_argument("out", type=Path)
    args = ap.parse_args()
    generate(args.chapters, args.out)
    print(f"{args.chapters} chapters in {args.out}")


if __name__ == "__main__":
    main()

"""Just enough PDF reading for the tests: the text a PDF shows, and whether it is tagged.

Neither pypdf nor poppler's pdftotext is installed, so this reads the file itself: it inflates every
stream (object streams included), maps each font's glyph codes to Unicode through its ToUnicode
CMap, and decodes the strings shown by ``Tj`` and ``TJ``. It reads WeasyPrint's output (CID fonts,
Identity-H, hex strings), which is all the tests need. Text runs are joined by spaces, so a phrase
wrapped across lines is still found.
"""

from __future__ import annotations

import re
import zlib

_OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*)\r?\nendstream", re.S)
_FONT_DICT = re.compile(rb"/Font\s*<<(.*?)>>", re.S)
_FONT_REF = re.compile(rb"/([A-Za-z0-9+_.-]+)\s+(\d+) 0 R")
_TOUNICODE = re.compile(rb"/ToUnicode\s+(\d+) 0 R")
_TOKENS = re.compile(rb"/([A-Za-z0-9+_.-]+)\s+[\d.]+\s+Tf|<([0-9a-fA-F\s]*)>|\[|\]|\b(TJ|Tj|Td|TD|Tm|T\*|ET)\b")


def _inflate(body: bytes) -> bytes:
    match = _STREAM.search(body)
    if not match:
        return b""
    raw = match.group(1)
    if b"/FlateDecode" in body.split(b"stream", 1)[0]:
        try:
            return zlib.decompress(raw)
        except zlib.error:
            return b""
    return raw


def objects(pdf: bytes) -> dict[int, tuple[bytes, bytes]]:
    """Every object as (dictionary text, inflated stream), object streams unpacked."""
    found: dict[int, tuple[bytes, bytes]] = {}
    for match in _OBJECT.finditer(pdf):
        number, body = int(match.group(1)), match.group(2)
        head = body.split(b"stream", 1)[0] if b"stream" in body else body
        found[number] = (head, _inflate(body) if b"stream" in body else b"")
    for head, data in list(found.values()):
        if b"/ObjStm" not in head:
            continue
        first = int(re.search(rb"/First\s+(\d+)", head).group(1))
        pairs = [int(n) for n in data[:first].split()]
        offsets = list(zip(pairs[0::2], pairs[1::2], strict=True))
        for index, (number, offset) in enumerate(offsets):
            end = offsets[index + 1][1] if index + 1 < len(offsets) else len(data) - first
            found.setdefault(number, (data[first + offset : first + end], b""))
    return found


def _cmap(data: bytes) -> dict[bytes, str]:
    mapping: dict[bytes, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            mapping[bytes.fromhex(src.decode())] = bytes.fromhex(dst.decode()).decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            start, stop, base = int(low, 16), int(high, 16), int(dst, 16)
            width = len(low) // 2
            for code in range(start, stop + 1):
                mapping[code.to_bytes(width, "big")] = chr(base + code - start)
    return mapping


def _fonts(found: dict[int, tuple[bytes, bytes]]) -> dict[bytes, dict[bytes, str]]:
    """Font resource name -> glyph code -> text.

    Resource names come from the page's /Font dictionary, inline or in an object of its own
    (WeasyPrint's), whose entries are all ``/Name N 0 R`` pointing at fonts.
    """
    names: dict[bytes, int] = {}
    for head, _ in found.values():
        blocks = _FONT_DICT.findall(head)
        if not blocks and head.strip().startswith(b"<<") and b"/Type" not in head:
            blocks = [head]
        for block in blocks:
            for name, number in _FONT_REF.findall(block):
                if b"/Type /Font" in found.get(int(number), (b"", b""))[0]:
                    names[name] = int(number)
    fonts = {}
    for name, number in names.items():
        head = found.get(number, (b"", b""))[0]
        match = _TOUNICODE.search(head)
        if match:
            fonts[name] = _cmap(found.get(int(match.group(1)), (b"", b""))[1])
    return fonts


def _decode(hexstring: bytes, cmap: dict[bytes, str]) -> str:
    raw = bytes.fromhex(re.sub(rb"\s", b"", hexstring).decode())
    width = len(next(iter(cmap))) if cmap else 2
    return "".join(cmap.get(raw[i : i + width], "") for i in range(0, len(raw), width))


def pdf_text(pdf: bytes) -> str:
    """All the text the PDF shows, runs joined by spaces, whitespace collapsed."""
    found = objects(pdf)
    fonts = _fonts(found)
    runs: list[str] = []
    for _, data in found.values():
        if b"BT" not in data or b"Tf" not in data:
            continue
        cmap: dict[bytes, str] = {}
        current: list[str] = []
        for match in _TOKENS.finditer(data):
            font, hexstring, operator = match.groups()
            if font is not None:
                cmap = fonts.get(font, {})
            elif hexstring is not None:
                current.append(_decode(hexstring, cmap))
            elif operator not in (None, b"TJ", b"Tj") and current:
                runs.append("".join(current))
                current = []
        if current:
            runs.append("".join(current))
    return " ".join(" ".join(runs).split())


def is_tagged(pdf: bytes) -> bool:
    """A structure tree, marked content, a language and a title shown in the window: what screen readers need."""
    heads = b" ".join(head for head, _ in objects(pdf).values())
    return (
        b"/StructTreeRoot" in heads
        and re.search(rb"/MarkInfo\s*<<\s*/Marked\s+true", heads) is not None
        and b"/Lang" in heads
        and b"/DisplayDocTitle true" in heads
    )


def structure_types(pdf: bytes) -> set[str]:
    """The standard structure types used in the tag tree (H1, P, Table, TH, TD, L, LI, Figure...)."""
    heads = [head for head, _ in objects(pdf).values()]
    return {m.decode() for head in heads if b"/StructElem" in head for m in re.findall(rb"/S\s*/(\w+)", head)}


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's width and height in points (A4 portrait is about 595 x 842)."""
    sizes = []
    for head, _ in objects(pdf).values():
        if re.search(rb"/Type\s*/Page\b", head):
            box = re.search(rb"/MediaBox\s*\[\s*([\d.\s-]+)\]", head)
            if box:
                x0, y0, x1, y1 = (float(n) for n in box.group(1).split())
                sizes.append((round(x1 - x0), round(y1 - y0)))
    return sizes


def figure_alts(pdf: bytes) -> list[str]:
    """The text alternative (/Alt) of each Figure in the tag tree, in file order (plain ASCII strings)."""
    heads = [head for head, _ in objects(pdf).values()]
    return [
        match.group(1).decode("latin-1")
        for head in heads
        if b"/StructElem" in head and re.search(rb"/S\s*/Figure\b", head)
        for match in [re.search(rb"/Alt\s*\(((?:[^()\\]|\\.)*)\)", head)]
        if match
    ]

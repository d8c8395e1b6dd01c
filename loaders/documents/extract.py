"""Documents into paragraphs, in reading order: .txt, .md, .html and .pdf.

Every format ends as blocks of lines, and one set of rules turns blocks into paragraphs:

- A plain-text block whose lines are hard-wrapped at a fixed width (an exported letter) is
  re-flowed: a line joins the next unless it is short and ends a sentence, or is a heading.
  A block of long, ragged lines (a pasted web page) is one paragraph per line.
- Bullets (•, -, *) start a paragraph; page-number lines are dropped; a paragraph that stops
  mid-sentence and resumes in lower case on the next page is joined again.
- Numbered paragraphs keep their reference: `p21. Too many…` gives the paragraph `ref: p21`,
  also where several numbered paragraphs were pasted into one line; a document whose
  paragraphs are numbered `1.`, `2.`, `3.` … (three or more, increasing) gets `p1`, `p2` ….

HTML is parsed with BeautifulSoup (script, style and other non-text elements dropped, block
elements end paragraphs); Markdown is rendered to HTML with markdown-it first; PDF text comes
from pdfminer.six's layout analysis (a text box is a block; a header or footer repeated on most
pages is dropped).

Documents come from someone else, so reading is bounded: a regular file of at most MAX_BYTES
(a FIFO or a device is refused), PDF streams inflating to MAX_INFLATED in all (pdfminer would
inflate a bomb whole), an encrypted PDF refused in one line, HTML walked without recursion.
"""

from __future__ import annotations

import io
import re
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from oversight.graph.errors import OversightError
from oversight.graph.inputs import InputError, read_file

SUFFIXES = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md"}
SUFFIXES |= {".html": "html", ".htm": "html", ".xhtml": "html", ".pdf": "pdf"}
MAX_BYTES = 64 * 1024 * 1024  # a document file
MAX_INFLATED = 128 * 1024 * 1024  # a PDF's streams, inflated, all together


def words(text: str) -> frozenset[str]:
    """A set of words written as one string."""
    return frozenset(word_list(text))


def word_list(text: str) -> tuple[str, ...]:
    """Words written as one string, in order."""
    return tuple(text.split())


class DocumentError(OversightError):
    """A document that cannot be read or understood: `path: problem`."""


@dataclass(frozen=True)
class Paragraph:
    text: str
    ref: str | None = None


@dataclass(frozen=True)
class Document:
    path: Path
    format: str  # txt, md, html or pdf
    title: str | None  # what the document calls itself (HTML title, first heading), if anything
    paragraphs: tuple[Paragraph, ...]


def supported(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


def extract(path: Path, data: bytes | None = None) -> Document:
    """Read a document's paragraphs; DocumentError if it is unreadable or has no text."""
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(SUFFIXES))
        raise DocumentError(f"{path}: cannot read '{path.suffix}' documents (known: {known})")
    if data is None:
        data = read_document(path)
    if fmt == "pdf":
        title, blocks = _pdf_blocks(path, data)
        paragraphs = _paragraphs(blocks, wrapped="always")
    elif fmt == "txt":
        title = None
        paragraphs = _paragraphs(_text_blocks(_decode(path, data)), wrapped="detect")
    else:
        text = _decode(path, data)
        if fmt == "md":
            from markdown_it import MarkdownIt

            text = MarkdownIt("commonmark").render(text)
        title, blocks = _html_blocks(text)
        paragraphs = _paragraphs(blocks, wrapped="never")
    if not paragraphs:
        hint = " (a scanned PDF needs OCR first)" if fmt == "pdf" else ""
        raise DocumentError(f"{path}: no text found{hint}")
    return Document(path, fmt, title or _title_from(paragraphs), tuple(paragraphs))


def read_document(path: Path) -> bytes:
    """A document's bytes: a regular file of at most MAX_BYTES (graph/inputs.py)."""
    try:
        return read_file(path, MAX_BYTES, what="a document", advice=": split it into parts")
    except InputError as error:
        raise DocumentError(str(error)) from error


# --- text ------------------------------------------------------------------------------------

# Control characters that text does not hold (tab, newlines and form feed aside).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")


def _decode(path: Path, data: bytes) -> str:
    """UTF-8 text, else Windows-1252; binary content (an image named .txt) is refused."""
    if b"\x00" in data[:8192]:
        raise DocumentError(f"{path}: not a text file (binary content)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # the other encoding texts come in
    sample = text[:8192]
    if len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise DocumentError(f"{path}: not a text file (binary content)")
    return text


def _text_blocks(text: str) -> list[list[str]]:
    """Blocks separated by blank lines, each a list of lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    blocks = []
    for chunk in re.split(r"\n[ \t\u00a0]*\n", text):
        lines = [line for line in chunk.split("\n") if line.strip()]
        if lines:
            blocks.append(lines)
    return blocks


# --- HTML ------------------------------------------------------------------------------------

_DROP = ("script", "style", "noscript", "template", "svg", "iframe", "nav", "form", "button")
_DROP += ("select", "head", "object", "canvas")
_BLOCKS = words(
    "p div section article main header footer aside h1 h2 h3 h4 h5 h6 li ul ol blockquote "
    "table thead tbody tr td th dl dt dd figure figcaption address hr caption details "
    "summary center"
)


def _html_blocks(html: str) -> tuple[str | None, list[list[str]]]:
    from bs4 import BeautifulSoup
    from bs4.element import NavigableString, PageElement, PreformattedString, Tag

    soup = BeautifulSoup(html, "html.parser")
    title = None
    if soup.title and soup.title.get_text(strip=True):
        title = _squash(soup.title.get_text(" "))
    for tag in soup(list(_DROP)):
        tag.decompose()
    if title is None and (h1 := soup.find("h1")):
        title = _squash(h1.get_text(" ")) or None
    blocks: list[list[str]] = []
    current: list[str] = []

    def flush() -> None:
        lines = [_squash(line) for line in "".join(current).split("\n")]
        if any(lines):
            blocks.append([line for line in lines if line])
        current.clear()

    def walk(root: Tag) -> None:
        """Depth first, without recursion: 1,000 nested tags must not exhaust the stack."""
        stack: list[tuple[Iterator[PageElement], bool]] = [(iter(root.children), False)]
        while stack:
            children, block = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if block:  # a block element ends its paragraph
                    flush()
            elif isinstance(child, PreformattedString):  # comments, doctype, CDATA
                continue
            elif isinstance(child, NavigableString):
                current.append(str(child))
            elif isinstance(child, Tag):
                if child.name == "br":
                    current.append("\n")
                elif child.name == "pre":
                    flush()
                    blocks.extend(_text_blocks(child.get_text()))
                else:
                    if child.name in _BLOCKS:
                        flush()
                    stack.append((iter(child.children), child.name in _BLOCKS))

    walk(soup.body or soup)
    flush()
    return title, [[" ".join(block)] for block in blocks]


# --- PDF -------------------------------------------------------------------------------------


def _pdf_blocks(path: Path, data: bytes) -> tuple[str | None, list[list[str]]]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer
    from pdfminer.pdfdocument import PDFEncryptionError
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    pages: list[list[list[str]]] = []
    try:
        with _bounded_inflation(MAX_INFLATED):
            for page in extract_pages(io.BytesIO(data), laparams=LAParams()):
                boxes = []
                for element in page:
                    if isinstance(element, LTTextContainer):
                        lines = [line.strip() for line in element.get_text().split("\n")]
                        if any(lines):
                            boxes.append([line for line in lines if line])
                pages.append(boxes)
    except _Inflated:
        raise DocumentError(
            f"{path}: its compressed streams inflate past {MAX_INFLATED // 2**20} MiB, more than "
            "a document may hold"
        ) from None
    except PDFEncryptionError as error:
        raise DocumentError(
            f"{path}: the PDF is encrypted and needs a password; save an unencrypted copy"
        ) from error
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as error:
        raise DocumentError(f"{path}: not a readable PDF ({error})") from error
    except Exception as error:  # pdfminer raises its own classes for more
        if type(error).__module__.startswith("pdfminer"):
            raise DocumentError(f"{path}: cannot read this PDF ({error})") from error
        raise
    # Running headers and footers: the same box (digits aside) on most pages.
    shape = Counter()
    for boxes in pages:
        shape.update({_page_shape(box) for box in boxes})
    repeated = {key for key, n in shape.items() if len(pages) >= 3 and n > len(pages) / 2}
    blocks = [box for boxes in pages for box in boxes if _page_shape(box) not in repeated]
    return None, blocks


class _Inflated(Exception):
    """A PDF's streams inflate past MAX_INFLATED."""


class _Inflation:
    """pdfminer's `zlib` and `lzwdecode`, counting what they inflate against one budget.

    pdfminer inflates each stream whole, in memory, without a limit: a 1 MB stream of
    compressed zeros becomes a gigabyte. With this in its place, no call returns more than
    is left of the budget; past it, _Inflated.
    """

    error = zlib.error

    def __init__(self, limit: int) -> None:
        self.left = limit

    def take(self, chunk: bytes) -> bytes:
        self.left -= len(chunk)
        if self.left < 0:
            raise _Inflated
        return chunk

    def decompress(self, data: bytes) -> bytes:
        inflater = zlib.decompressobj()
        out = self.take(inflater.decompress(data, self.left + 1))
        if not inflater.eof:  # what zlib.decompress says of a cut stream
            raise zlib.error("incomplete or truncated stream")
        return out

    def decompressobj(self) -> _Inflater:
        return _Inflater(self)

    def lzwdecode(self, data: bytes) -> bytes:
        from pdfminer.lzw import LZWDecoder

        return b"".join(self.take(chunk) for chunk in LZWDecoder(io.BytesIO(data)).run())


class _Inflater:
    """zlib.decompressobj() within an _Inflation's budget (pdfminer's repair of bad streams)."""

    def __init__(self, budget: _Inflation) -> None:
        self.budget, self.inflater = budget, zlib.decompressobj()

    def decompress(self, data: bytes) -> bytes:
        return self.budget.take(self.inflater.decompress(data, self.budget.left + 1))


@contextmanager
def _bounded_inflation(limit: int) -> Iterator[None]:
    """pdfminer inflating within `limit` bytes (all streams together) while in the block."""
    from pdfminer import pdftypes

    budget = _Inflation(limit)
    saved = pdftypes.zlib, pdftypes.lzwdecode
    pdftypes.zlib, pdftypes.lzwdecode = budget, budget.lzwdecode  # type: ignore[assignment]
    try:
        yield
    finally:
        pdftypes.zlib, pdftypes.lzwdecode = saved


def _page_shape(box: list[str]) -> str:
    return re.sub(r"\d+", "#", " ".join(box))


# --- blocks into paragraphs ------------------------------------------------------------------

_END = re.compile(r"""[.!?:;"”’')\]…]$""")
_BULLET = re.compile(r"^(?:[•·▪◦●‣*]|[-–—](?=\s))\s*")
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?$", re.IGNORECASE)
_INLINE_REF = re.compile(r"(?:^|(?<=[.!?…\"”’')\]]\s)|(?<=[.!?…\"”’')\]]\s\s))p(\d{1,4})\.\s+")
_NUMBERED = re.compile(r"^(\d{1,3})\.\s+(?=[A-Z‘'\"“])")


def _paragraphs(blocks: list[list[str]], wrapped: str) -> list[Paragraph]:
    texts: list[str] = []
    for block in blocks:
        lines = [line.strip() for line in block]
        lines = [line for line in lines if line and not _PAGE_NUMBER.match(line)]
        if not lines:
            continue
        flow = wrapped == "always" or (wrapped == "detect" and _is_wrapped(lines))
        for text in _split_block(lines, flow):
            if texts and _continues(texts[-1], text):
                texts[-1] = _join(texts[-1], text)
            else:
                texts.append(text)
    return _with_refs(texts)


def _is_wrapped(lines: list[str]) -> bool:
    """Lines hard-wrapped at a fixed width: most lines but the last are close to that width."""
    inner = [len(line) for line in lines[:-1] if not _BULLET.match(line)]
    if len(inner) < 2:
        return False
    width = _width(inner)
    if not 40 <= width <= 130:
        return False
    return sum(n >= 0.7 * width for n in inner) >= 0.6 * len(inner)


def _width(lengths: list[int]) -> int:
    """The wrapping width: a high percentile, so that a few run-on lines do not set it."""
    ordered = sorted(lengths)
    return ordered[min(len(ordered) - 1, int(0.8 * len(ordered)))]


def _split_block(lines: list[str], flow: bool) -> list[str]:
    width = _width([len(line) for line in lines[:-1]] or [len(lines[0])])
    paragraphs: list[str] = []
    current = ""
    for index, line in enumerate(lines):
        bullet = _BULLET.match(line)
        if bullet:
            if current:
                paragraphs.append(current)
            current = line[bullet.end() :]
        else:
            current = _join(current, line) if current else line
        following = lines[index + 1] if index + 1 < len(lines) else None
        if following is None:
            break
        continues = following[:1].islower() and not _END.search(line)
        if flow:  # a sentence's end on a short line, or a heading (a line well short of the width)
            ends = _END.search(line) and len(line) < 0.75 * width
            done = not continues and bool(ends or len(line) < 0.7 * width)
        else:
            done = not continues
        if done or _BULLET.match(following):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return [_squash(p) for p in paragraphs if _squash(p)]


def _continues(previous: str, text: str) -> bool:
    """A paragraph cut by a page or block break: no sentence end, then a lower-case start."""
    return not _END.search(previous) and text[:1].islower() and not _INLINE_REF.match(text)


def _join(left: str, right: str) -> str:
    if re.search(r"[^\W\d_]-$", left) and right[:1].islower():  # multi-\nagency
        return left + right
    return f"{left} {right}"


def _with_refs(texts: list[str]) -> list[Paragraph]:
    """Split at inline `p21.` markers; number `1.`-style paragraphs when the document does."""
    pieces: list[Paragraph] = []
    for text in texts:
        marks = list(_INLINE_REF.finditer(text))
        if not marks:
            pieces.append(Paragraph(text))
            continue
        if marks[0].start() > 0:
            pieces.append(Paragraph(text[: marks[0].start()].strip()))
        for mark, following in zip(marks, [*marks[1:], None], strict=True):
            end = following.start() if following else len(text)
            pieces.append(Paragraph(text[mark.start() : end].strip(), f"p{int(mark.group(1))}"))
    numbers = [(i, int(m.group(1))) for i, p in enumerate(pieces) if (m := _NUMBERED.match(p.text))]
    values = [n for _, n in numbers]
    if len(values) >= 3 and values == sorted(set(values)):
        for index, number in numbers:
            if pieces[index].ref is None:
                pieces[index] = Paragraph(pieces[index].text, f"p{number}")
    return [p for p in pieces if p.text]


def _title_from(paragraphs: list[Paragraph]) -> str | None:
    """The first short line that reads like a headline: three words or more, no final full stop."""
    for paragraph in paragraphs[:3]:
        text = paragraph.text
        if len(text) <= 160 and len(text.split()) >= 3 and not text.endswith("."):
            return text
    return None


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u00ad", "")).strip()

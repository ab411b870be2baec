"""Read documents as plain text: .txt, .md, .html, .pdf (its text layer) and .docx.

Every reader returns text only. HTML is parsed, never run: the contents of
``script``, ``style``, ``template``, ``noscript`` and similar elements are
dropped and nothing a page links to is fetched. A PDF is read with pypdf (the
``extract`` extra); a PDF with no text layer (a scan) is reported as such.
A .docx file is a zip of XML; its paragraphs are read with the standard library.

A file that cannot be read raises :class:`DocumentError` with one line saying
which file and why; :func:`collect` turns folders into the files to read.

Example
-------
>>> import pathlib, tempfile
>>> page = pathlib.Path(tempfile.mkdtemp()) / "news.html"
>>> _ = page.write_text("<h1>Partner</h1><script>alert(1)</script><p>Comune di Prato</p>", encoding="utf-8")
>>> read_document(page).text
'Partner\\n\\nComune di Prato'
"""

from __future__ import annotations

import html.parser
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from ..errors import InputError
from ..read.decode import readable

__all__ = ["Document", "DocumentError", "SUFFIXES", "collect", "read_document", "text_document"]

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".pdf", ".docx")
MAX_BYTES = 50_000_000  # a press release is a few kilobytes; past this it is not one
_DROPPED = {"script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math", "head", "title"}
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
          "article", "header", "footer", "blockquote", "dd", "dt", "dl", "pre", "hr", "td", "th", "main", "nav",
          "aside", "figure", "figcaption", "address"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "source", "track", "wbr", "param"}


class DocumentError(InputError):
    """A document that cannot be read (empty, binary, no text layer...), said in one line."""


@dataclass(frozen=True)
class Document:
    """A document's text and where it comes from.

    ``pages`` holds the character offset where each PDF page starts (empty
    for other formats), so a position can be told as a page and a line.
    """

    name: str
    path: str
    kind: str
    text: str
    pages: tuple = ()

    def where(self, offset: int) -> str:
        """Where character ``offset`` is, for a person: ``line 3`` or ``page 2, line 14``.

        >>> text_document("a\\nb\\nComune di Prato").where(4)
        'line 3'
        """
        if self.pages:
            page = sum(1 for start in self.pages if start <= offset)
            start = self.pages[page - 1]
            return f"page {page}, line {self.text.count(chr(10), start, offset) + 1}"
        return f"line {self.text.count(chr(10), 0, offset) + 1}"


def text_document(text: str, name: str = "<text>") -> Document:
    """A document made from a string (for tests and notebooks).

    >>> text_document("Comune di Prato").kind
    'text'
    """
    return Document(name=name, path=name, kind="text", text=_clean(text))


def collect(paths) -> tuple[list[Path], list[str]]:
    """The files to read from files and folders (folders recursively, in name order), and one line per path skipped.

    >>> files, skipped = collect([])
    >>> files, skipped
    ([], [])
    """
    files, skipped = [], []
    for p in map(Path, paths):
        if p.is_dir():
            inside = sorted(f for f in p.rglob("*") if f.is_file() and not any(
                part.startswith(".") for part in f.relative_to(p).parts))
            kept = [f for f in inside if f.suffix.lower() in SUFFIXES]
            files += kept
            if len(inside) > len(kept):
                others = sorted({f.suffix.lower() or "(no extension)" for f in inside if f not in kept})
                skipped.append(f"{p}: {len(inside) - len(kept)} files of other kinds not read ({', '.join(others)})")
        elif p.is_file():
            if p.suffix.lower() in SUFFIXES:
                files.append(p)
            else:
                skipped.append(f"{p}: not read: ecosys extract reads {', '.join(SUFFIXES)} files")
        else:
            skipped.append(f"{p}: no such file or folder")
    seen, unique = set(), []
    for f in files:
        if f.resolve() not in seen:
            seen.add(f.resolve())
            unique.append(f)
    return unique, skipped


def read_document(path) -> Document:
    """Read one file as text, by its extension; raise :class:`DocumentError` when it cannot be."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DocumentError(f"{path}: {size:,} bytes; documents of up to {MAX_BYTES:,} bytes are read")
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    kind = path.suffix.lower().lstrip(".")
    if not data.strip():
        raise DocumentError(f"{path}: the file is empty")
    if kind == "pdf":
        text, pages = _pdf_text(data, path)
    elif kind == "docx":
        text, pages = _docx_text(data, path), ()
    else:
        text = _decode(data, path)
        if kind in ("html", "htm", "xhtml"):
            text = _html_text(text)
        pages = ()
    if not text.strip():
        raise DocumentError(f"{path}: no text in the file")
    # the name is the rows' source: bytes of it that are not UTF-8 (a Latin-1 file name) read as cp1252, as text
    return Document(name=readable(path.name), path=str(path), kind=kind, text=text, pages=pages)


def _decode(data: bytes, path: Path) -> str:
    if data[:3] == b"\xef\xbb\xbf":
        data = data[3:]
    head = data[:8192]
    if b"\x00" in head or sum(b < 9 or 13 < b < 32 for b in head) > len(head) // 20:
        raise DocumentError(f"{path}: a binary file, not text (expected .txt, .md, .html, .pdf or .docx text)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # Italian pages saved by Windows tools
    return _clean(text)


def _clean(text: str) -> str:
    """Line ends made ``\\n``, control characters and spaces at line ends removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", " ", text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


class _TextParser(html.parser.HTMLParser):
    """Collects an HTML page's visible text; script, style and the like are dropped, block elements end lines."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag == "body":  # a <head> left open ends here
            self.skip = 0
        elif tag in _DROPPED:
            if tag not in _VOID:
                self.skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _DROPPED:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def _html_text(source: str) -> str:
    parser = _TextParser()
    parser.feed(source)
    parser.close()
    text = "".join(parser.parts)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _pdf_text(data: bytes, path: Path) -> tuple[str, tuple]:
    try:
        import pypdf
    except ImportError:
        raise DocumentError(f"{path}: reading PDF needs the extract extra: pip install 'ecosys[extract]'") from None
    import logging
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warns on stderr about repairable damage
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:
                raise DocumentError(f"{path}: an encrypted PDF; save an unprotected copy to read it") from None
        texts = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on damaged files
        raise DocumentError(f"{path}: not a readable PDF ({type(exc).__name__}: {exc})"[:300]) from None
    if not "".join(texts).strip():
        raise DocumentError(f"{path}: a PDF with no text layer ({len(texts)} pages, probably scanned images); "
                            "run OCR on it first (e.g. ocrmypdf) and extract from the result")
    pages, parts, at = [], [], 0
    for text in texts:
        text = _clean(text)
        pages.append(at)
        parts.append(text)
        at += len(text) + 2
    return "\n\n".join(parts), tuple(pages)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_text(data: bytes, path: Path) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            xml = z.read("word/document.xml")
        root = ElementTree.fromstring(xml)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise DocumentError(f"{path}: not a readable .docx file ({exc})") from None
    paragraphs = []
    for p in root.iter(f"{_W}p"):
        parts = []
        for node in p.iter():
            if node.tag == f"{_W}t" and node.text:
                parts.append(node.text)
            elif node.tag == f"{_W}tab":
                parts.append(" ")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
        paragraphs.append("".join(parts))
    return _clean("\n".join(paragraphs))

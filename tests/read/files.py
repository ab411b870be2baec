"""Helpers of the reading tests: real files under tmp_path with exact bytes, and the rows read back."""

from __future__ import annotations

import os

import openpyxl

from ecosys.read import Participations

OLD_MTIME_NS = 1_600_000_000_000_000_000  # 2020-09-13, far from "now"

# a participation table, a partners table (a repeated id) and a projects table (tab-separated)
PARTICIPATIONS = b"org_id,project_id,role\n1,10,lead\n2,10,partner\n2,11,lead\n999,11,partner\n"
ORGS = b"id;legal name;country\n1;ACME srl;IT\n2;UniBo;IT\n2;Universita di Bologna;IT\n3;Unused;FR\n"
PROJECTS = b"rcn\tacronym\tstart\n10\tALPHA\t2020\n11\tBETA\t2021\n"


def write(tmp_path, name: str, data: bytes):
    """``tmp_path / name`` holding ``data``, its mtime set in the past (so a test can see it is not touched)."""
    path = tmp_path / name
    path.write_bytes(data)
    os.utime(path, ns=(OLD_MTIME_NS, OLD_MTIME_NS))
    return path


def pairs(p: Participations) -> list[tuple[str, str, int]]:
    return list(p.table[["partner", "project", "row"]].itertuples(index=False, name=None))


def records(p: Participations) -> list[dict]:
    return p.table.to_dict("records")


def workbook(tmp_path, sheets: dict[str, list[list]], name="table.xlsx"):
    """A real .xlsx with one sheet per item, rows appended in order (None = empty cell)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
    'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '</Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}


def raw_workbook(path, rows, level: int = 6):
    """An .xlsx of one sheet 'Data' whose XML rows are ``rows`` (bytes, streamed): for workbooks openpyxl
    would never write (more rows than Excel allows, parts that inflate a thousand times)."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, text in _PARTS.items():
            z.writestr(name, text)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                    b'spreadsheetml/2006/main"><sheetData>')
            for block in rows:
                f.write(block)
            f.write(b"</sheetData></worksheet>")
    return path


def xml_rows(first: int, last: int, chunk: int = 50_000):
    """Sheet XML rows ``first`` to ``last``: a header (partner, project), then a number and a project each."""
    yield (b'<row r="1"><c r="A1" t="inlineStr"><is><t>partner</t></is></c>'
           b'<c r="B1" t="inlineStr"><is><t>project</t></is></c></row>')
    for start in range(max(first, 2), last + 1, chunk):
        yield b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d"><v>%d</v></c></row>' % (i, i, i, i, i % 97)
                       for i in range(start, min(start + chunk, last + 1)))

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

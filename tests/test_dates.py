"""Project dates found by column name and content; bad dates reported with their lines and left out."""

import io

import numpy as np
import pandas as pd
import pytest

from ecosys.dates import find_date_columns, parse_dates, project_dates
from ecosys.read import read_participations


def _read(text: str):
    return read_participations(io.BytesIO(text.encode("utf-8")))


def _dates(text: str, **kwargs):
    d = project_dates(_read(text), **kwargs)
    return d, d.table().values.tolist()


@pytest.mark.parametrize("start, end", [
    ("startDate", "endDate"), ("Project start", "Project end"), ("project_start_date", "project_end_date"),
    ("start", "end"), ("data inizio", "data fine"), ("Start Date", "End Date"),
])
def test_start_and_end_columns_found_by_name(start, end):
    d, rows = _dates(f"org,project,{start},{end}\nA,P1,2019-05-01,2022-04-30\nB,P1,2019-05-01,2022-04-30\n")
    assert (d.start_column, d.end_column) == (start, end)
    assert rows == [["P1", "2019-05-01", "2022-04-30"]]


def test_years_run_from_the_first_to_the_last_day():
    d, rows = _dates("org,project,start_year,end_year\nA,P1,2014,2016\nB,P2,2015,2015\n")
    assert (d.start_column, d.end_column) == ("start_year", "end_year")
    assert rows == [["P1", "2014-01-01", "2016-12-31"], ["P2", "2015-01-01", "2015-12-31"]]
    assert [y.tolist() for y in d.years()] == [[2014, 2015], [2016, 2015]]


def test_a_start_alone_runs_to_the_end_of_its_year():
    d, rows = _dates("org,project,year\nA,P1,2016\nB,P2,2017\n")
    assert (d.start_column, d.end_column) == ("year", None)
    assert rows == [["P1", "2016-01-01", "2016-12-31"], ["P2", "2017-01-01", "2017-12-31"]]


def test_columns_found_by_content_and_day_first():
    d, rows = _dates("org,project,quando,fino\nA,P1,12/03/2021,01/02/2022\nB,P2,13/01/2020,31/12/2020\n")
    assert (d.start_column, d.end_column) == ("quando", "fino")
    assert rows == [["P1", "2021-03-12", "2022-02-01"], ["P2", "2020-01-13", "2020-12-31"]]


def test_month_first_only_when_the_column_shows_it():
    days, bad, _ = parse_dates(["03/12/2021", "01/31/2020"])
    assert [str(x) for x in days] == ["2021-03-12", "2020-01-31"] and not bad.any()
    days, _, _ = parse_dates(["03/12/2021", "01/05/2020"])  # ambiguous: day first, as in Europe
    assert [str(x) for x in days] == ["2021-12-03", "2020-05-01"]


def test_excel_serials_only_in_a_column_named_as_a_date():
    d, rows = _dates("org,project,start date,score\nA,P1,44267,44267\n")
    assert d.start_column == "start date" and rows == [["P1", "2021-03-12", "2021-12-31"]]
    days, bad, _ = parse_dates(["44267"])
    assert np.isnat(days[0]) and bad[0]


def test_text_and_months_in_words():
    days, bad, _ = parse_dates(["12 marzo 2021", "March 2021", "1 Jan. 2020", "2021-03-12T10:30:00", "2021/3/2"])
    assert [str(x) for x in days] == ["2021-03-12", "2021-03-01", "2020-01-01", "2021-03-12", "2021-03-02"]
    assert not bad.any()


def test_bad_dates_are_reported_with_their_lines_and_left_out_never_shifted():
    d, rows = _dates(
        "org,project,start,end\n"
        "A,P1,2019-01-01,2020-12-31\n"   # line 2: fine
        "B,P2,0,2020\n"                  # line 3: year 0
        "C,P3,9999-01-01,2020\n"         # line 4: year 9999
        "D,P4,next year,2020\n"          # line 5: text
        "E,P5,2021-01-01,2020-01-01\n"   # line 6: end before start
        "F,P6,2019-02-30,2020\n"         # line 7: no such day
        "G,P7,NA,NA\n",                  # line 8: missing, not bad
        start="start", end="end",        # most cells are bad: named, not found by content
    )
    assert rows == [["P1", "2019-01-01", "2020-12-31"]] + [[f"P{k}", "", ""] for k in range(2, 8)]
    assert [(q.line, q.column, q.value, q.reason) for q in d.problems] == [
        (3, "start", "0", "a year outside 1900-2100"),
        (4, "start", "9999-01-01", "a year outside 1900-2100"),
        (5, "start", "next year", "not a date"),
        (6, "end", "2021-01-01 to 2020-01-01", "an end before its start"),
        (7, "start", "2019-02-30", "not a valid date"),
    ]
    assert d.problems[0].message("t.csv") == "t.csv, line 3, column 'start' (project P2): '0' is a year outside 1900-2100; left out"
    assert d.undated == 6


def test_per_participation_dates_give_the_earliest_start_and_latest_end():
    d, rows = _dates("org,project,start,end\nA,P1,2019-05-01,2020-01-31\nB,P1,2018-02-01,2019-12-31\n"
                     "C,P1,bad,2021-06-30\n")
    assert rows == [["P1", "2018-02-01", "2021-06-30"]]
    assert [q.line for q in d.problems] == [4]


def test_named_columns_and_a_missing_one():
    d, rows = _dates("org,project,signed,closed\nA,P1,2019-05-01,2020-01-31\n", start="Signed", end="closed")
    assert (d.start_column, d.end_column) == ("signed", "closed") and rows == [["P1", "2019-05-01", "2020-01-31"]]
    with pytest.raises(Exception, match="no start date column 'when'"):
        project_dates(_read("org,project\nA,P1\n"), start="when")


def test_no_dates_at_all():
    d, rows = _dates("org,project,budget\nA,P1,2019\nB,P2,2020\n")  # numbers in a column not named as a date
    assert (d.start_column, d.end_column, d.undated) == (None, None, 2)


def test_active_overlaps_and_for_keys():
    d, _ = _dates("org,project,start,end\nA,P1,2019-05-01,2022-04-30\nB,P2,2023-01-01,2023-06-30\nC,P3,,\n")
    assert d.active("2022-01-01", "2022-12-31").tolist() == [True, False, False]
    assert d.active("2022-04-30", "2023-01-01").tolist() == [True, True, False]
    assert d.for_keys(["P2", "P9"]).table().values.tolist() == [["P2", "2023-01-01", "2023-06-30"], ["P9", "", ""]]


def test_real_exports(shared_data):
    h2020 = project_dates(read_participations(shared_data / "cordis-h2020-eunets2020" / "h2020.csv.gz"))
    assert (h2020.start_column, h2020.end_column) == ("start_date", "end_date")
    assert len(h2020.keys) == 31_451 and h2020.undated < 10
    first, last = h2020.years()
    assert first[h2020.dated].min() == 2014 and last.max() <= 2030
    keep = project_dates(read_participations(shared_data / "keep-interreg-2014-2020" / "keep_closed_1420.xlsx"))
    assert (keep.start_column, keep.end_column) == ("Project start", "Project end")
    assert keep.undated <= 5 and all(q.reason == "an end before its start" for q in keep.problems)
    sod = project_dates(read_participations(shared_data / "cordis-h2020-sod2016"))
    assert (sod.start_column, sod.end_column) == ("startDate", "endDate")


def test_date_columns_are_found_below_thousands_of_blank_cells():
    # the cells looked at are the first 5,000 filled ones, however far down the column they start
    n = 30_000
    start = ["NA"] * 12_000 + ["n/a", "", "-"] * 1_000 + ["2019-05-01"] * (n - 15_000)
    budget = [""] * 20_000 + ["12"] * (n - 20_000)
    table = pd.DataFrame({"when": start, "budget": budget})
    assert find_date_columns(table, ["budget", "when"]) == ("when", None)
    mostly_text = ["x"] * 4_999 + ["2020-01-01"] * (n - 4_999)  # of the first 5,000 filled cells one is a date
    assert find_date_columns(pd.DataFrame({"when": mostly_text}), ["when"]) == (None, None)


def test_project_keys_are_the_graphs_even_with_a_trailing_nul():
    # fixed-width numpy text drops trailing NULs: the keys must stay the graph's, in the graph's order (reading
    # refuses NULs in a file, a table built in Python may hold them)
    import dataclasses
    from ecosys.graph import build_network
    p = _read("org,project,start,end\nA,P1,2019-05-01,2020-01-31\nB,P1b,2021-01-01,2021-12-31\nC,P0,2018-01-01,\n")
    table = p.table.copy()
    table["project"] = ["P1", "P1\x00", "P0"]
    p = dataclasses.replace(p, table=table)
    d = project_dates(p)
    assert d.keys.tolist() == build_network(p).projects["name"].tolist() == ["P0", "P1", "P1\x00"]
    assert [str(x) for x in d.start] == ["2018-01-01", "2019-05-01", "2021-01-01"]

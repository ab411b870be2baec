/*
 * The table of what the map shows: one row per node drawn (after the filters, the time slider's
 * period and the focus), sortable by any column, a click on a name focusing that node, and a CSV
 * of the rows as sorted (map-export.js builds the rows and the CSV; this file is the DOM).
 *
 * The table is built only while its panel is open, so a closed table costs nothing on a large map.
 * Every text goes in with textContent. In the page this file defines one global, `ecosysTable`:
 * ecosysTable(options) -> { update(ids, focus), rows(), columns() }.
 */
(function (root) {
  "use strict";

  /**
   * options: { core, ex (ecosysExport), model, T (the page's texts), sizeBy() (the size metric now),
   * select(id) (focus a node), save(blob, name) (download), title }.
   */
  function ecosysTable(options) {
    var core = options.core, ex = options.ex, m = options.model, T = options.T;
    var panel = document.getElementById("table-panel"), table = document.getElementById("shown-table");
    var head = table.tHead || table.createTHead(), body = table.tBodies[0] || table.createTBody();
    var countEl = document.getElementById("table-count");
    var ids = [], focus = null, cols = [], rows = [], sortBy = null, descending = true, sizeKey = null;

    function empty(node) { while (node.firstChild) node.removeChild(node.firstChild); }
    function cell(tag, text) {
      var c = document.createElement(tag);
      if (text !== undefined) c.textContent = core.str(text);
      return c;
    }
    function columns() {
      var size = options.sizeBy();
      if (size !== sizeKey) {  // other columns: sorted by the new size metric, largest first
        sizeKey = size;
        cols = ex.tableColumns(core, m, size);
        sortBy = cols.length > 3 ? 3 : 0;
        descending = cols.length > 3;
      }
      return cols;
    }
    function sorted() {
      return ex.sortRows(ex.tableRows(core, m, ids, columns()), sortBy, descending, m.locale);
    }
    function render() {
      if (!panel.open) return;
      rows = sorted();
      empty(head);
      var tr = document.createElement("tr");
      cols.forEach(function (c, k) {
        var th = cell("th");
        th.scope = "col";
        if (c.numeric) th.className = "num";
        th.setAttribute("aria-sort", k === sortBy ? (descending ? "descending" : "ascending") : "none");
        var b = cell("button", c.label);
        b.type = "button";
        b.title = T("table_sort", { column: c.label });
        b.addEventListener("click", function () {
          descending = k === sortBy ? !descending : c.numeric;
          sortBy = k;
          render();
        });
        th.appendChild(b);
        tr.appendChild(th);
      });
      head.appendChild(tr);
      empty(body);
      var rowsFragment = document.createDocumentFragment();
      rows.forEach(function (r) {
        var row = document.createElement("tr");
        row.dataset.nodeId = String(r.id);
        if (r.id === focus) row.className = "focus";
        r.cells.forEach(function (v, k) {
          var td;
          if (k === 0) {
            td = cell("th");
            td.scope = "row";
            var b = cell("button", v);
            b.type = "button";
            b.addEventListener("click", function () { options.select(r.id); });
            td.appendChild(b);
          } else if (cols[k].numeric) {
            td = cell("td", v === null ? "" : core.fmt(v, m));
            td.className = "num";
            if (v !== null) td.dataset.value = String(v);
          } else td = cell("td", v);
          row.appendChild(td);
        });
        rowsFragment.appendChild(row);
      });
      body.appendChild(rowsFragment);
      var name = focus !== null && m.byId.has(focus) ? core.fullName(m.byId.get(focus)) : null;
      countEl.textContent = name === null ? T("table_rows", { shown: core.count(rows.length, m) })
        : T("table_focus", { shown: core.count(rows.length, m), name: name });
    }
    panel.addEventListener("toggle", render);
    document.getElementById("table-csv").addEventListener("click", function () {
      rows = sorted();
      var blob = new Blob([ex.tableCsv(cols, rows)], { type: "text/csv;charset=utf-8" });
      options.save(blob, ex.fileName(options.title, "csv"));
    });
    return {
      /** The nodes to list (an iterable of ids) and the focused one (or null); redrawn when open. */
      update: function (list, focused) {
        ids = Array.from(list);
        focus = focused;
        render();
      },
      rows: function () { return sorted(); },
      columns: function () { return columns().slice(); }
    };
  }
  root.ecosysTable = ecosysTable;
}(typeof self !== "undefined" ? self : this));

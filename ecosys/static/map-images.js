/*
 * The map's images: Save PNG (the map drawn again at twice the screen's pixels or more, with the
 * title, subtitle, legend and data credit drawn in) and Save SVG (what is drawn now as vector
 * elements: map-export.js builds the tree, placed in an XML document with setAttribute and
 * textContent and written by XMLSerializer, so every name stays text).
 *
 * In the page this file defines one global, `ecosysImages`: ecosysImages(options) -> { svg() }, and
 * wires the two buttons. options: { network, edges (its DataSet), container, core, ex (ecosysExport), model, payload,
 * T (the page's texts), save(blob, name), now() -> { shown (Set of ids), labels (the label boxes
 * drawn), colorBy, counts (the overview's period counts, or null) } }.
 */
(function (root) {
  "use strict";

  function ecosysImages(options) {
    var network = options.network, container = options.container, core = options.core, ex = options.ex;
    var model = options.model, payload = options.payload, T = options.T, save = options.save, now = options.now;
    var str = core.str;

    // The PNG: the map drawn again at PNG_RATIO (at least twice the screen's pixels), with the title,
    // subtitle, legend and data credit drawn in.
    var PNG_RATIO = Math.max(2, window.devicePixelRatio || 1);
    function mapAt(ratio) {
      var c = network.canvas;
      c._determinePixelRatio = function () { return ratio; };
      try {
        network.setSize();
        network.renderer._redraw();
        var source = container.querySelector("canvas"), copy = document.createElement("canvas");
        copy.width = source.width;
        copy.height = source.height;
        copy.getContext("2d").drawImage(source, 0, 0);
        return copy;
      } finally {
        delete c._determinePixelRatio;
        network.setSize();
        network.redraw();
      }
    }
    function pngCanvas() {
      var r = PNG_RATIO, map = mapAt(r), pad = 16 * r, line = 20 * r;
      var entries = core.legend(model, now().shown, now().colorBy, now().counts);
      var measure = document.createElement("canvas").getContext("2d");
      measure.font = 13 * r + "px sans-serif";
      var widths = entries.map(function (e) { return 22 * r + measure.measureText(e.label + "  " + core.count(e.count, model)).width + 18 * r; });
      var rows = [], rowWidth = 0;
      widths.forEach(function (w, k) {
        if (!rows.length || rowWidth + w > map.width - 2 * pad) { rows.push([]); rowWidth = 0; }
        rows[rows.length - 1].push(k);
        rowWidth += w;
      });
      var top = pad + 26 * r + (str(payload.subtitle) ? line : 0);
      var canvas = document.createElement("canvas");
      canvas.width = map.width;
      canvas.height = top + map.height + pad + rows.length * line + line + pad;
      var ctx = canvas.getContext("2d");
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.textBaseline = "top";
      ctx.fillStyle = core.FONT;
      ctx.font = "bold " + 20 * r + "px sans-serif";
      ctx.fillText(str(payload.title), pad, pad);
      ctx.font = 13 * r + "px sans-serif";
      ctx.fillStyle = "#57606a";
      if (str(payload.subtitle)) ctx.fillText(str(payload.subtitle), pad, pad + 26 * r);
      ctx.drawImage(map, 0, top);
      var y = top + map.height + pad / 2;
      rows.forEach(function (row) {
        var x = pad;
        row.forEach(function (k) {
          var e = entries[k];
          ctx.fillStyle = e.colour;
          ctx.fillRect(x, y + 2 * r, 12 * r, 12 * r);
          ctx.fillStyle = core.FONT;
          ctx.fillText(e.label + "  " + core.count(e.count, model), x + 18 * r, y);
          x += widths[k];
        });
        y += line;
      });
      ctx.fillStyle = "#57606a";
      ctx.font = 12 * r + "px sans-serif";
      ctx.fillText(T("png_credit", { source: str(payload.credit) || str(payload.title) }), pad, y + line / 2);
      return canvas;
    }
    document.getElementById("save-png").addEventListener("click", function () {
      if (!container.querySelector("canvas")) return;
      pngCanvas().toBlob(function (blob) { save(blob, ex.fileName(payload.title, "png")); }, "image/png");
    });
    // The SVG: what is drawn now, as vector elements (map-export.js svgTree), placed in an XML document
    // with setAttribute and textContent and written by XMLSerializer, so every name stays text.
    function svgText() {
      var bodies = network.body.nodes, scale = network.getScale(), origin = network.canvasToDOM({ x: 0, y: 0 });
      var canvas = container.querySelector("canvas"), shown = now().shown;
      function at(b) { return { x: origin.x + b.x * scale, y: origin.y + b.y * scale }; }
      var edges = [];
      options.edges.get({ filter: function (e) { return !e.hidden; } }).forEach(function (e) {
        var b = network.body.edges[e.id];
        if (!b || !b.from || !b.to || !shown.has(b.fromId) || !shown.has(b.toId)) return;
        var p = at(b.from), q = at(b.to), c = b.options.color || {};
        edges.push({ x1: p.x, y1: p.y, x2: q.x, y2: q.y, colour: core.validColour(c.color) || core.DIM_EDGE,
                     width: Math.max(0.5, (b.options.width || 1) * scale), dashed: !!b.options.dashes });
      });
      var nodes = [];
      shown.forEach(function (id) {
        var b = bodies[id];
        if (!b || b.options.hidden) return;
        var p = at(b), c = b.options.color || {};
        nodes.push({ id: id, x: p.x, y: p.y, r: b.options.size * scale, shape: b.options.shape,
                     fill: core.validColour(c.background) || core.DIM, stroke: core.validColour(c.border) || core.DIM,
                     strokeWidth: b.options.borderWidth });
      });
      var tree = ex.svgTree({
        width: canvas.clientWidth, height: canvas.clientHeight, font: core.FONT, muted: "#57606a",
        title: str(payload.title), subtitle: str(payload.subtitle),
        credit: T("png_credit", { source: str(payload.credit) || str(payload.title) }),
        edges: edges, nodes: nodes,
        labels: now().labels.map(function (box) {
          return { id: box.id, x: box.x, y: box.y, width: box.width, height: box.height, text: box.text, font: box.font,
                   colour: box.dim ? core.DIM_FONT : core.FONT };
        }),
        legend: core.legend(model, now().shown, now().colorBy, now().counts).map(function (e) {
          return { colour: e.colour, label: e.label, count: core.count(e.count, model) };
        })
      });
      var doc = document.implementation.createDocument(ex.SVG_NS, "svg", null);
      doc.replaceChild(ex.toXml(doc, tree), doc.documentElement);
      return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(doc) + "\n";
    }
    document.getElementById("save-svg").addEventListener("click", function () {
      if (!container.querySelector("canvas")) return;
      save(new Blob([svgText()], { type: "image/svg+xml;charset=utf-8" }), ex.fileName(payload.title, "svg"));
    });

    return { svg: svgText };
  }
  root.ecosysImages = ecosysImages;
}(typeof self !== "undefined" ? self : this));

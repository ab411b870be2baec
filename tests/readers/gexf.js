// Read a GEXF file as Gephi Lite does (graphology-gexf) and print what it found, as JSON.
// Usage: NODE_PATH=<folder with node_modules> node gexf.js FILE NODE...
// Prints {"type", "order", "size", "nodes": {NODE: attributes}, "edge": attributes of the first edge}.
'use strict';
const fs = require('fs');
const Graph = require('graphology');
const gexf = require('graphology-gexf');

const [file, ...wanted] = process.argv.slice(2);
const graph = gexf.parse(Graph, fs.readFileSync(file, 'utf-8'));
const nodes = {};
for (const key of wanted) nodes[key] = graph.hasNode(key) ? graph.getNodeAttributes(key) : null;
const first = graph.edges()[0];
process.stdout.write(JSON.stringify({
  type: graph.type,
  order: graph.order,
  size: graph.size,
  nodes,
  edge: first === undefined ? null : graph.getEdgeAttributes(first),
}));

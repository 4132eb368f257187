/* newskg graph page. All data text goes through textContent or vis-network's plain-text labels. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var byId = function (id) { return document.getElementById(id); };
  var nodeInfo = {};   // id -> node record
  var edgeInfo = {};   // id -> edge record
  var adjacency = {};  // node id -> [edge ids]
  var allTypes = {};   // event type -> colour

  data.nodes.forEach(function (n) { nodeInfo[n.id] = n; adjacency[n.id] = []; });
  data.edges.forEach(function (e) {
    edgeInfo[e.id] = e;
    adjacency[e.from].push(e.id);
    adjacency[e.to].push(e.id);
  });
  Object.keys(data.eventTypes).forEach(function (t) { allTypes[t] = data.eventTypes[t]; });

  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    return { id: n.id, label: n.label, x: n.x, y: n.y, color: n.color, shape: n.shape,
             size: n.size };
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    return { id: e.id, from: e.from, to: e.to, color: { color: e.color, opacity: 0.8 },
             arrows: "to" };
  }));

  var state = { search: "", types: {}, from: "", to: "" };
  Object.keys(allTypes).forEach(function (t) { state.types[t] = true; });
  var dateMin = data.dateMin || "", dateMax = data.dateMax || "";
  var visibleNodes = {}, visibleEdges = {}, lastRecomputeMs = 0;
  var drawnLook = {}, edgeHidden = {};  // node id -> "v"/"h" (+ "*" when highlighted) as last sent to vis

  function dateOk(rec) {  // a dated record passes when its span overlaps the chosen range
    var active = (state.from && state.from > dateMin) || (state.to && state.to < dateMax);
    if (!active) { return true; }
    if (!rec.start) { return false; }
    return (!state.from || rec.end >= state.from) && (!state.to || rec.start <= state.to);
  }
  function eventOk(rec) {  // a record that carries event attributes (event node or event edge)
    if (rec.type !== undefined && Object.prototype.hasOwnProperty.call(state.types, rec.type)
        && !state.types[rec.type]) { return false; }
    return dateOk(rec);
  }

  function recompute() {
    var started = performance.now();
    var vn = {}, ve = {};
    // 1. events (nodes or edges) that pass type/date filters
    data.nodes.forEach(function (n) { if (n.kind !== "event" || eventOk(n)) { vn[n.id] = true; } });
    data.edges.forEach(function (e) {
      if (vn[e.from] && vn[e.to] && (!e.event || eventOk(e))) { ve[e.id] = true; }
    });
    // 2. actors whose every event is filtered away disappear with them
    data.nodes.forEach(function (n) {
      if (n.kind === "event" || adjacency[n.id].length === 0) { return; }
      var keep = adjacency[n.id].some(function (id) { return ve[id]; });
      if (!keep) { delete vn[n.id]; }
    });
    // 3. search: matching nodes and their neighbours
    var q = state.search.trim().toLowerCase();
    var matches = [], matched = {};
    if (q) {
      var sv = {};
      data.nodes.forEach(function (n) {
        if (vn[n.id] && n.label.toLowerCase().indexOf(q) !== -1) {
          sv[n.id] = true; matches.push(n.id); matched[n.id] = true;
        }
      });
      matches.forEach(function (id) {
        adjacency[id].forEach(function (eid) {
          if (!ve[eid]) { return; }
          var e = edgeInfo[eid];
          sv[e.from] = true; sv[e.to] = true;
        });
      });
      vn = sv;
    }
    Object.keys(ve).forEach(function (id) {
      var e = edgeInfo[id];
      if (!vn[e.from] || !vn[e.to]) { delete ve[id]; }
    });
    // 4. push changes to vis-network in one batch each
    var nu = [], eu = [];
    data.nodes.forEach(function (n) {  // only nodes whose look changed: cheap on big graphs
      var hidden = !vn[n.id], hi = !!matched[n.id], look = (hidden ? "h" : "v") + (hi ? "*" : "");
      if (drawnLook[n.id] === look) { return; }
      drawnLook[n.id] = look;
      nu.push({ id: n.id, hidden: hidden, borderWidth: hi ? 5 : 1,
                color: hi ? { background: n.color, border: "#ff7f0e" } : n.color });
    });
    data.edges.forEach(function (e) {
      var hidden = !ve[e.id];
      if (edgeHidden[e.id] !== hidden) { edgeHidden[e.id] = hidden; eu.push({ id: e.id, hidden: hidden }); }
    });
    if (nu.length) { nodes.update(nu); }
    if (eu.length) { edges.update(eu); }
    visibleNodes = vn; visibleEdges = ve;
    var nCount = Object.keys(vn).length, eCount = Object.keys(ve).length;
    var status = byId("status");
    status.textContent = nCount + " of " + data.nodes.length + " nodes, " + eCount + " of "
      + data.edges.length + " edges visible";
    status.dataset.visibleNodes = String(nCount);
    status.dataset.visibleEdges = String(eCount);
    lastRecomputeMs = performance.now() - started;
  }

  // ---- controls ----
  function swatch(colour) {
    var s = document.createElement("span");
    s.className = "swatch"; s.style.background = colour; return s;
  }
  var typesDiv = byId("types");
  Object.keys(allTypes).sort().forEach(function (t) {
    var label = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox"; box.checked = true; box.value = t; box.className = "type-filter";
    box.addEventListener("change", function () { state.types[t] = box.checked; recompute(); });
    label.appendChild(box); label.appendChild(swatch(allTypes[t]));
    label.appendChild(document.createTextNode(t));
    typesDiv.appendChild(label);
  });
  if (!Object.keys(allTypes).length) { byId("types-box").hidden = true; }
  function setAll(v) {
    Array.prototype.forEach.call(document.querySelectorAll(".type-filter"), function (b) {
      b.checked = v; state.types[b.value] = v;
    });
    recompute();
  }
  byId("types-all").addEventListener("click", function () { setAll(true); });
  byId("types-none").addEventListener("click", function () { setAll(false); });
  var actorLegend = byId("actor-legend");
  Object.keys(data.actorTypes).sort().forEach(function (t) {
    var div = document.createElement("div");
    div.appendChild(swatch(data.actorTypes[t])); div.appendChild(document.createTextNode(t));
    actorLegend.appendChild(div);
  });
  var from = byId("date-from"), to = byId("date-to");
  [from, to].forEach(function (input) {
    if (dateMin) { input.min = dateMin; input.max = dateMax; } else { input.disabled = true; }
  });
  from.value = dateMin; to.value = dateMax;
  from.addEventListener("input", function () { state.from = from.value; recompute(); });
  to.addEventListener("input", function () { state.to = to.value; recompute(); });
  state.from = dateMin; state.to = dateMax;
  var searchTimer = null;
  byId("search").addEventListener("input", function (ev) {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () {
      state.search = ev.target.value;
      recompute();
      var shown = Object.keys(visibleNodes);  // zoom to what the search left, or back to all
      network.fit({ nodes: state.search.trim() && shown.length ? shown : [], animation: false });
    }, 120);
  });

  // ---- details panel ----
  var details = byId("details"), pinned = false;
  function show(kind, rec) {
    details.replaceChildren();
    var h = document.createElement("h2");
    h.textContent = rec.label;
    details.appendChild(h);
    var table = document.createElement("table");
    var rows = kind === "edge" ? [["element", "edge"]] : [];
    Object.keys(rec.attrs).forEach(function (k) { rows.push([k, rec.attrs[k]]); });
    if (kind === "edge") {
      rows.push(["from", nodeInfo[rec.from].label]); rows.push(["to", nodeInfo[rec.to].label]);
    }
    rows.forEach(function (r) {
      var tr = document.createElement("tr");
      var th = document.createElement("th"); th.textContent = r[0];
      var td = document.createElement("td"); td.textContent = String(r[1]);
      td.className = "value-" + r[0].replace(/[^a-z0-9_-]/gi, "");
      tr.appendChild(th); tr.appendChild(td); table.appendChild(tr);
    });
    details.appendChild(table);
  }
  function clear() {
    details.replaceChildren();
    var p = document.createElement("p"); p.className = "hint";
    p.textContent = "Hover or click a node or edge for details."; details.appendChild(p);
  }

  var network = new vis.Network(byId("network"), { nodes: nodes, edges: edges }, {
    physics: { enabled: false },
    layout: { improvedLayout: false },
    interaction: { hover: true, tooltipDelay: 200, hideEdgesOnDrag: data.nodes.length > 1000,
                   hideEdgesOnZoom: data.nodes.length > 1000 },
    nodes: { font: { size: 12 }, borderWidth: 1 },
    edges: { smooth: false, width: 1, selectionWidth: 2 }
  });
  function select(params) {
    if (params.nodes.length) { show("node", nodeInfo[params.nodes[0]]); pinned = true; }
    else if (params.edges.length) { show("edge", edgeInfo[params.edges[0]]); pinned = true; }
    else { pinned = false; clear(); }
  }
  network.on("click", select);
  network.on("hoverNode", function (p) { if (!pinned) { show("node", nodeInfo[p.node]); } });
  network.on("hoverEdge", function (p) { if (!pinned) { show("edge", edgeInfo[p.edge]); } });

  window.newskg = {
    network: network, nodes: nodes, edges: edges, data: data,
    visibleNodeCount: function () { return Object.keys(visibleNodes).length; },
    visibleEdgeCount: function () { return Object.keys(visibleEdges).length; },
    lastFilterMs: function () { return lastRecomputeMs; },
    selectNode: function (id) { network.selectNodes([id]); select({ nodes: [id], edges: [] }); }
  };
  recompute();
  network.once("afterDrawing", function () {
    network.fit({ animation: false });
    window.newskgReadyAt = performance.now();  // ms since navigation start
    window.newskgReady = true;
  });
})();

(function () {
  'use strict';
  var DATA = JSON.parse(document.getElementById('kg-data').textContent);
  var OPTIONS = JSON.parse(document.getElementById('kg-options').textContent);
  var INFO = DATA.nodes, TYPES = {}, i;
  DATA.types.forEach(function (t) { TYPES[t.key] = t; });
  var state = { types: {}, article: null, focusSet: null, selected: null };
  DATA.types.forEach(function (t) { state.types[t.key] = true; });
  var view = window.kgView = { ready: false, stabilized: false, stabilizedMs: null, data: DATA };

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) { Object.keys(attrs).forEach(function (k) {
      if (k === 'text') { e.textContent = attrs[k]; } else if (k === 'cls') { e.className = attrs[k]; }
      else { e.setAttribute(k, attrs[k]); } }); }
    (children || []).forEach(function (c) { if (c) { e.appendChild(c); } });
    return e;
  }
  var ART_OF_NODE = {};
  DATA.articles.forEach(function (a) { if (a.node !== null && a.node !== undefined) { ART_OF_NODE[a.node] = a; } });
  function artDate(id) { var a = ART_OF_NODE[id]; return a && a.date ? a.date : ''; }
  function typeLabel(key) { var t = TYPES[key]; return t ? t.label + ' · ' + t.zh : key; }

  // hover tooltips are DOM elements built from text, never HTML strings
  function tooltip(n) {
    var box = el('div', { cls: 'kg-tip' });
    box.appendChild(el('b', { text: n.names[0] }));
    if (n.names.length > 1) { box.appendChild(el('div', { text: n.names.slice(1, 6).join(' · ') })); }
    box.appendChild(el('div', { text: typeLabel(n.type) }));
    if (n.type === 'article' && artDate(n.id)) { box.appendChild(el('div', { text: artDate(n.id) })); }
    box.appendChild(el('div', { text: n.type === 'article' ? 'article' :
      'mentioned in ' + n.count + (n.count === 1 ? ' article' : ' articles') + ' · 提及文章 ' + n.count }));
    return box;
  }

  // ---- what a busy view draws at first (kg.export.html.collapse): a node's most linked neighbours,
  // the others behind a "+N" node that a click expands
  var TREE = DATA.tree, expanded = {};
  var VIS_NODES = DATA.vis.nodes.map(function (v) { v.title = tooltip(INFO[v.id]); return v; });
  var VIS_EDGES = DATA.vis.edges.map(function (e, k) {
    e.id = k;
    // a link that is not how a node was reached (a cross link) is drawn faint: the tree of the view stands out
    if (TREE.groups.length && TREE.parent[e.to] !== e.from && TREE.parent[e.from] !== e.to) {
      e.color = { color: '#dfe5ec', highlight: '#323f4b', hover: '#323f4b' };
    }
    return e;
  });
  function inPlay(id) {  // drawn as far as collapsing goes: its group expanded (or none), its parent drawn
    for (var x = id; x >= 0; x = TREE.parent[x]) {
      var g = TREE.group[x];
      if (g >= 0 && !expanded[g]) { return false; }
    }
    return true;
  }
  function groupNode(k) {
    var g = TREE.groups[k], t = TYPES[g.type], hub = INFO[g.hub];
    var tip = el('div', { cls: 'kg-tip' }, [el('b', { text: '+' + g.members.length + ' ' + t.label + ' · ' + t.zh }),
      el('div', { text: 'more linked to ' + hub.names[0] + ', the less linked ones; click to show them' }),
      el('div', { text: '点击展开' })]);
    return { id: 'g' + k, label: '+' + g.members.length + ' ' + t.zh, title: tip, shape: 'dot', size: 9,
      color: { background: '#ffffff', border: t.color, highlight: { background: '#f0f4f8', border: t.color } },
      borderWidth: 2, shapeProperties: { borderDashes: [3, 3] }, font: { size: 12, color: '#52606d' } };
  }
  function groupEdge(k) {
    var g = TREE.groups[k];
    return { id: 'ge' + k, from: g.hub, to: 'g' + k, dashes: true, arrows: { to: { enabled: false } }, length: 90 };
  }
  var nodes = new vis.DataSet(), edges = new vis.DataSet();
  var adj = {};
  INFO.forEach(function (n) { adj[n.id] = []; });
  DATA.vis.edges.forEach(function (e) { adj[e.from].push(e.to); adj[e.to].push(e.from); });
  // the nodes and edges drawn: those in play; a node that comes into play is put around its parent
  function sync(around) {
    var addN = [], delN = [], addE = [], delE = [], pos = around !== undefined && network ? network.getPositions([around])[around] : null;
    var live = {};
    VIS_NODES.forEach(function (v) { live[v.id] = inPlay(v.id); });
    TREE.groups.forEach(function (g, k) { live['g' + k] = live[g.hub] && !expanded[k]; });
    var fresh = 0;
    VIS_NODES.forEach(function (v) { if (live[v.id] && !nodes.get(v.id)) { fresh += 1; } });
    var turn = 0;
    VIS_NODES.forEach(function (v) {
      var there = nodes.get(v.id) !== null;
      if (live[v.id] && !there) {
        var n = Object.assign({}, v);
        if (pos) {  // a ring around where the "+N" node was
          var a = 2 * Math.PI * turn / Math.max(fresh, 1), r = 60 + 6 * fresh;
          n.x = pos.x + r * Math.cos(a); n.y = pos.y + r * Math.sin(a); turn += 1;
        }
        addN.push(n);
      } else if (!live[v.id] && there) { delN.push(v.id); }
    });
    TREE.groups.forEach(function (g, k) {
      var there = nodes.get('g' + k) !== null;
      if (live['g' + k] && !there) { addN.push(groupNode(k)); addE.push(groupEdge(k)); }
      else if (!live['g' + k] && there) { delN.push('g' + k); delE.push('ge' + k); }
    });
    VIS_EDGES.forEach(function (e) {
      var want = live[e.from] && live[e.to], there = edges.get(e.id) !== null;
      if (want && !there) { addE.push(e); } else if (!want && there) { delE.push(e.id); }
    });
    if (delE.length) { edges.remove(delE); }
    if (delN.length) { nodes.remove(delN); }
    if (addN.length) { nodes.add(addN); }
    if (addE.length) { edges.add(addE); }
  }
  var network = null;
  sync();
  view.expand = function (k) {
    if (expanded[k]) { return; }
    expanded[k] = true;
    sync('g' + k);
    apply(false);
    declutter();
  };
  function reveal(id) {  // a node asked for (search, a link of the panel): every group on its way expanded
    var changed = false;
    for (var x = id; x >= 0; x = TREE.parent[x]) {
      var g = TREE.group[x];
      if (g >= 0 && !expanded[g]) { expanded[g] = true; changed = true; }
    }
    if (changed) { sync(TREE.parent[id] >= 0 ? TREE.parent[id] : undefined); declutter(); }
  }
  view.inPlay = inPlay;

  var counts = document.getElementById('kg-counts');
  if (DATA.around) {  // kg view --around: what was asked
    var ar = DATA.around, around = el('span', { id: 'kg-around', text: 'Around · 邻域: ' + ar.name + ' · depth ' + ar.depth +
      (ar.from || ar.to ? ' · ' + (ar.from || '…') + ' – ' + (ar.to || '…') : '') });
    document.getElementById('kg-header').insertBefore(around, counts.nextSibling);
  }
  if (DATA.note) { var note = document.getElementById('kg-note'); note.textContent = DATA.note; note.hidden = false; }

  var container = document.getElementById('kg-network');
  var t0 = performance.now();
  network = new vis.Network(container, { nodes: nodes, edges: edges }, OPTIONS);
  view.network = network; view.nodes = nodes; view.edges = edges;

  // ---- a relation's name is shown on its edge when the edge is hovered or one of its nodes selected
  var labelled = [];
  function showRelations(ids) {
    var upd = labelled.filter(function (id) { return ids.indexOf(id) < 0 && edges.get(id); })
      .map(function (id) { return { id: id, label: '' }; });
    ids.forEach(function (id) { var e = edges.get(id); if (e && e.rel) { upd.push({ id: id, label: e.rel }); } });
    if (upd.length) { edges.update(upd); }
    labelled = ids.slice();
  }
  view.showRelations = showRelations;
  network.on('hoverEdge', function (p) { showRelations(labelled.concat([p.edge])); });
  network.on('blurEdge', function () {
    var own = state.selected !== null ? network.getConnectedEdges(state.selected) : [];
    showRelations(own.length <= 15 ? own : []);
  });

  // ---- nothing drawn over a box (an article): what overlaps one is pushed out of it, after the layout
  function declutter() {
    var ids = nodes.getIds().filter(function (id) { return !nodes.get(id).hidden; });
    if (ids.length > 800) { return 0; }
    // a node's box (with its label) as offsets from its centre, read once: moveNode does not update them
    var pos = network.getPositions(ids), off = {};
    ids.forEach(function (id) {
      var bb = network.getBoundingBox(id), p = pos[id];
      off[id] = [bb.left - p.x, bb.right - p.x, bb.top - p.y, bb.bottom - p.y];
    });
    function box(id) { var p = pos[id], o = off[id]; return { left: p.x + o[0], right: p.x + o[1], top: p.y + o[2], bottom: p.y + o[3] }; }
    var boxes = ids.filter(function (id) { return typeof id === 'number' && INFO[id].type === 'article'; });
    var moved = {}, pad = 6;
    for (var pass = 0; pass < 50; pass += 1) {
      var again = false;
      boxes.forEach(function (b) {
        ids.forEach(function (id) {
          if (id === b) { return; }
          var bb = box(b), nb = box(id);
          if (nb.right + pad <= bb.left || nb.left - pad >= bb.right || nb.bottom + pad <= bb.top || nb.top - pad >= bb.bottom) { return; }
          var dx = (nb.left + nb.right) / 2 - (bb.left + bb.right) / 2, dy = (nb.top + nb.bottom) / 2 - (bb.top + bb.bottom) / 2;
          // out along the shorter way, on the side the node is already on
          var outX = dx >= 0 ? bb.right + pad - nb.left : bb.left - pad - nb.right;
          var outY = dy >= 0 ? bb.bottom + pad - nb.top : bb.top - pad - nb.bottom;
          if (Math.abs(outX) < Math.abs(outY)) { pos[id].x += outX; } else { pos[id].y += outY; }
          moved[id] = true; again = true;
        });
      });
      if (!again) { break; }
    }
    Object.keys(moved).forEach(function (key) {
      var id = typeof INFO[key] !== 'undefined' && String(Number(key)) === key ? Number(key) : key;
      network.moveNode(id, pos[id].x, pos[id].y);
    });
    return Object.keys(moved).length;
  }
  view.declutter = declutter;
  // label boxes of what is drawn that overlap an article's box: what the tests check after the layout
  view.overlaps = function () {
    var ids = nodes.getIds().filter(function (id) { return !nodes.get(id).hidden; }), out = [];
    ids.forEach(function (b) {
      if (typeof b !== 'number' || INFO[b].type !== 'article') { return; }
      var bb = network.getBoundingBox(b);
      ids.forEach(function (id) {
        if (id === b) { return; }
        var nb = network.getBoundingBox(id);
        if (nb.right > bb.left && nb.left < bb.right && nb.bottom > bb.top && nb.top < bb.bottom) { out.push([b, id]); }
      });
    });
    return out;
  };

  var bar = document.getElementById('kg-bar-fill'), loading = document.getElementById('kg-loading');
  view.iterations = 0; view.cut = false;
  network.on('stabilizationProgress', function (p) {
    bar.style.width = Math.round(100 * p.iterations / p.total) + '%';
    view.iterations = p.iterations;
    if (!view.cut && performance.now() - t0 > DATA.budget_ms) { view.cut = true; network.stopSimulation(); }
  });
  var settling = false;
  function settled() {
    if (view.stabilized || settling) { return; }
    settling = true;
    network.setOptions({ physics: { enabled: false } });
    // the boxes of labels are known once drawn: declutter after the first drawing, then the view is ready
    network.once('afterDrawing', function () {
      view.decluttered = declutter();
      network.fit({ animation: false });
      view.stabilized = true;
      view.stabilizedMs = performance.now() - t0;
      loading.classList.add('kg-done');
      if (DATA.focus !== null && DATA.focus !== undefined) { select(DATA.focus, true); }
    });
    network.redraw();
  }
  network.once('stabilizationIterationsDone', settled);
  network.once('stabilized', settled);
  document.getElementById('kg-relayout').addEventListener('click', function () {
    // more layout on demand, within the same time budget
    t0 = performance.now(); view.cut = false;
    network.setOptions({ physics: { enabled: true } });
    network.once('stabilizationIterationsDone', function () {
      network.setOptions({ physics: { enabled: false } }); declutter(); network.fit({ animation: false });
    });
    network.stabilize(OPTIONS.physics.stabilization.iterations);
  });
  if (INFO.length === 0) { loading.querySelector('#kg-loading-text').textContent = 'No nodes to show · 无节点'; }

  // ---- visibility: types, article, neighbourhood
  function visible(n) {
    if (!state.types[n.type]) { return false; }
    if (state.article !== null) {
      var a = DATA.articles[state.article];
      if (!(n.articles.indexOf(state.article) >= 0 || n.id === a.node ||
            (a.node !== null && adj[a.node].indexOf(n.id) >= 0))) { return false; }
    }
    if (state.focusSet && !state.focusSet[n.id]) { return false; }
    return true;
  }
  function apply(fit) {
    var upd = [], shown = [];
    INFO.forEach(function (n) {
      var drawnNode = nodes.get(n.id);
      if (!drawnNode) { return; }  // behind a "+N" node
      var v = visible(n);
      if (v) { shown.push(n.id); }
      if (!!drawnNode.hidden === v) { upd.push({ id: n.id, hidden: !v }); }
    });
    TREE.groups.forEach(function (g, k) {  // a "+N" node goes with its hub and its type
      var gn = nodes.get('g' + k);
      if (!gn) { return; }
      var v = state.types[g.type] && !(nodes.get(g.hub) || {}).hidden;
      if (!!gn.hidden === v) { upd.push({ id: 'g' + k, hidden: !v }); }
    });
    if (upd.length) { nodes.update(upd); }
    var d = view.drawn();
    counts.textContent = d.nodes + ' / ' + INFO.length + ' nodes · ' + d.edges + ' / ' + DATA.vis.edges.length + ' edges' +
      (d.more ? ' · ' + d.more + ' behind "+N" · 点击展开' : '');
    if (fit && shown.length) { network.fit({ nodes: shown, animation: false }); }
  }
  view.drawn = function () {  // the graph's nodes and edges drawn ("+N" nodes and their edges not counted)
    var body = network.body, n = 0, m = 0, more = 0;
    body.nodeIndices.forEach(function (id) { if (typeof id === 'number' && !body.nodes[id].options.hidden) { n += 1; } });
    body.edgeIndices.forEach(function (id) {
      var e = body.edges[id];
      if (typeof id === 'number' && e.connected && !e.options.hidden && !e.from.options.hidden && !e.to.options.hidden) { m += 1; }
    });
    if (TREE.groups.length) { INFO.forEach(function (x) { if (!nodes.get(x.id)) { more += 1; } }); }
    return { nodes: n, edges: m, more: more };  // more: behind "+N" nodes, drawn when expanded
  };

  // ---- legend with type filters
  var legend = document.getElementById('kg-legend');
  function swatch(t) {
    var ns = 'http://www.w3.org/2000/svg', svg = document.createElementNS(ns, 'svg'), s;
    svg.setAttribute('width', '16'); svg.setAttribute('height', '16'); svg.setAttribute('viewBox', '0 0 16 16');
    var pts = { triangle: '8,1 15,14 1,14', diamond: '8,1 15,8 8,15 1,8',
      hexagon: '4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8', star: '8,0.5 10,6 15.5,6 11,9.5 12.8,15 8,11.6 3.2,15 5,9.5 0.5,6 6,6' };
    if (t.shape === 'dot') { s = document.createElementNS(ns, 'circle'); s.setAttribute('cx', '8'); s.setAttribute('cy', '8'); s.setAttribute('r', '6.5'); }
    else if (pts[t.shape]) { s = document.createElementNS(ns, 'polygon'); s.setAttribute('points', pts[t.shape]); }
    else { s = document.createElementNS(ns, 'rect'); s.setAttribute('x', '1.5'); s.setAttribute('y', t.shape === 'box' ? '3.5' : '1.5');
      s.setAttribute('width', '13'); s.setAttribute('height', t.shape === 'box' ? '9' : '13'); s.setAttribute('rx', t.shape === 'box' ? '2' : '0'); }
    s.setAttribute('fill', t.color); s.setAttribute('stroke', '#3e4c59'); s.setAttribute('stroke-width', '1');
    svg.appendChild(s);
    return svg;
  }
  DATA.types.forEach(function (t) {
    var box = el('input', { type: 'checkbox', id: 'kg-type-' + t.key, 'data-type': t.key });
    box.checked = true;
    box.addEventListener('change', function () { state.types[t.key] = box.checked; apply(true); });
    var lab = el('label', { 'for': 'kg-type-' + t.key, text: t.label + ' · ' + t.zh });
    var li = el('li', { cls: t.count ? '' : 'kg-empty' }, [box, swatch(t), lab, el('span', { cls: 'kg-count', text: String(t.count) })]);
    legend.appendChild(li);
  });

  // ---- article filter
  var artSel = document.getElementById('kg-article');
  DATA.articles.forEach(function (a, k) { artSel.appendChild(el('option', { value: String(k), text: a.title })); });
  artSel.addEventListener('change', function () {
    state.article = artSel.value === '' ? null : Number(artSel.value); apply(true);
  });

  // ---- neighbourhood focus
  var focusBtn = document.getElementById('kg-focus'), depthSel = document.getElementById('kg-depth');
  function neighbourhood(id, depth) {
    var seen = {}, frontier = [id]; seen[id] = true;
    for (var d = 0; d < depth; d += 1) {
      var next = [];
      frontier.forEach(function (x) { adj[x].forEach(function (y) { if (!seen[y]) { seen[y] = true; next.push(y); } }); });
      frontier = next;
    }
    return seen;
  }
  view.focus = function (id, depth) {
    state.focusSet = neighbourhood(id, depth || Number(depthSel.value)); apply(true);
  };
  focusBtn.addEventListener('click', function () { if (state.selected !== null) { view.focus(state.selected); } });
  document.getElementById('kg-reset').addEventListener('click', function () {
    state.focusSet = null; state.article = null; artSel.value = '';
    DATA.types.forEach(function (t) { state.types[t.key] = true; document.getElementById('kg-type-' + t.key).checked = true; });
    apply(true);
  });

  // ---- the evidence panel
  var panel = document.getElementById('kg-panel'), body = document.getElementById('kg-panel-body');
  function showPanel(id) {
    var n = INFO[id], t = TYPES[n.type];
    body.textContent = '';
    var badge = el('span', { cls: 'kg-type', text: typeLabel(n.type) }); badge.style.background = t ? t.color : '#888';
    body.appendChild(badge);
    body.appendChild(el('h2', { text: n.names[0] }));
    if (n.names.length > 1) { body.appendChild(el('div', { cls: 'kg-alt', text: 'Also · 又名: ' + n.names.slice(1).join(' · ') })); }
    body.appendChild(el('div', { cls: 'kg-meta', text: (n.type === 'article' ? (artDate(id) ? artDate(id) + ' · ' : '') :
      'Mentioned in ' + n.count + (n.count === 1 ? ' article' : ' articles') + ' · ') + n.degree + ' links' }));
    // the IRI exactly as the graph has it: what SPARQL matches
    var copy = el('button', { id: 'kg-copy', type: 'button', title: 'copy the IRI', text: 'Copy IRI' });
    copy.addEventListener('click', function () { copyText(n.iri, copy); });
    body.appendChild(el('div', { cls: 'kg-iri-row' }, [el('code', { id: 'kg-iri', text: n.iri }), copy]));
    if (n.timeline && n.timeline.length) { body.appendChild(el('div', { cls: 'kg-h', text: 'Timeline · 时间线' }));
      body.appendChild(timelineChart(n.timeline)); }
    function link(li, k) {
      if (k >= 0) { li.classList.add('kg-link'); li.addEventListener('click', function () { select(k, true); }); }
    }
    if (n.posts && n.posts.length) {  // 主席 · 某省总工会 (2023-10-23)
      body.appendChild(el('div', { cls: 'kg-h', text: 'Posts · 职务' }));
      var pl = el('ul', { id: 'kg-posts' });
      n.posts.forEach(function (p) {
        var when = p.reported.length ? (p.reported.length > 1 ? p.reported[0] + ' – ' + p.reported[p.reported.length - 1]
          : p.reported[0]) : '';
        var extra = [];
        if (p.appointed.length) { extra.push('appointed · 任命 ' + p.appointed.join(', ')); }
        if (p.removed.length) { extra.push('removed · 免去 ' + p.removed.join(', ')); }
        var li = el('li', { cls: p.former ? 'kg-former' : '' }, [
          el('span', { cls: 'kg-post', text: p.role + ' · ' + p.org }),
          when ? el('span', { cls: 'kg-when', text: ' (' + when + ')' }) : null,
          p.former ? el('span', { cls: 'kg-via', text: 'former · 曾任' }) : null,
          extra.length ? el('span', { cls: 'kg-when', text: ' ' + extra.join(' · ') }) : null]);
        link(li, p.node);
        pl.appendChild(li);
      });
      body.appendChild(pl);
    }
    if (n.participants && n.participants.length) {  // 张三 — 主持 · 发言
      body.appendChild(el('div', { cls: 'kg-h', text: 'Participants · 参加者' }));
      var ql = el('ul', { id: 'kg-participants' });
      n.participants.forEach(function (p) {
        var li = el('li', null, [el('span', { cls: 'kg-post', text: p.name }),
          el('span', { cls: 'kg-via', text: p.zh.join(' · ') + ' (' + p.roles.join(', ') + ')' })]);
        link(li, p.node);
        ql.appendChild(li);
      });
      body.appendChild(ql);
    }
    if (n.evidence.length) {
      body.appendChild(el('div', { cls: 'kg-h', text: 'Evidence · 出处' }));
      var list = el('ol', { id: 'kg-evidence' });
      n.evidence.forEach(function (ev) {
        var art = ev[0] >= 0 ? DATA.articles[ev[0]].title : '', s = ev[1], at = 0;
        var date = ev[0] >= 0 ? DATA.articles[ev[0]].date : '';
        var sent = el('div', { cls: 'kg-sent' });
        ev[2].forEach(function (sp) {  // the spans, sorted; an overlapping one is merged into the previous
          var b = Math.max(sp[0], at);
          if (sp[1] <= b) { return; }
          sent.appendChild(document.createTextNode(s.slice(at, b)));
          sent.appendChild(el('mark', { text: s.slice(b, sp[1]) }));
          at = sp[1];
        });
        sent.appendChild(document.createTextNode(s.slice(at)));
        list.appendChild(el('li', null, [el('span', { cls: 'kg-art', text: art ? '《' + art + '》' : '' }),
          date ? el('span', { cls: 'kg-date', text: date }) : null,
          el('span', { cls: 'kg-via', text: ev[3] }), sent]));
      });
      body.appendChild(list);
      if (n.more) { body.appendChild(el('div', { cls: 'kg-meta', text: '… ' + n.more + ' more' })); }
    } else {
      body.appendChild(el('div', { cls: 'kg-meta', text: 'No evidence sentence recorded for this node.' }));
    }
    var nb = adj[id].slice(0, 30);
    if (nb.length) {
      body.appendChild(el('div', { cls: 'kg-h', text: 'Linked · 关联' }));
      var ul = el('ul', { id: 'kg-links' });
      nb.forEach(function (k) {
        var li = el('li', { text: INFO[k].names[0] + ' (' + INFO[k].type + ')' });
        li.style.cursor = 'pointer'; li.addEventListener('click', function () { select(k, true); });
        ul.appendChild(li);
      });
      body.appendChild(ul);
    }
    panel.hidden = false;
  }
  function copyText(text, button) {
    view.copied = text;
    function done() { button.textContent = 'Copied · 已复制'; }
    function fallback() {
      var area = el('textarea', { readonly: 'readonly' }); area.value = text; document.body.appendChild(area);
      area.select(); try { document.execCommand('copy'); } catch (e) { /* the IRI is still shown to select */ }
      document.body.removeChild(area); done();
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else { fallback(); }
  }
  // articles per month (and posts reported), one bar per month from the first to the last
  function timelineChart(rows) {
    var ns = 'http://www.w3.org/2000/svg', w = 300, h = 70, pad = 14;
    var most = Math.max.apply(null, rows.map(function (r) { return r[1] + r[2]; }).concat([1]));
    var bw = Math.max(1, Math.min(24, (w - 2) / rows.length));
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('id', 'kg-timeline'); svg.setAttribute('width', String(w)); svg.setAttribute('height', String(h + pad));
    svg.setAttribute('role', 'img');
    rows.forEach(function (r, k) {
      var x = 1 + k * bw, ha = (h - 2) * r[1] / most, hp = (h - 2) * r[2] / most;
      [[r[1], ha, h - ha, 'kg-bar', '#4e79a7'], [r[2], hp, h - ha - hp, 'kg-bar-post', '#f28e2b']].forEach(function (b) {
        if (!b[0]) { return; }
        var rect = document.createElementNS(ns, 'rect');
        rect.setAttribute('x', String(x)); rect.setAttribute('y', String(b[2]));
        rect.setAttribute('width', String(Math.max(1, bw - 1))); rect.setAttribute('height', String(Math.max(1, b[1])));
        rect.setAttribute('fill', b[4]); rect.setAttribute('class', b[3]);
        rect.setAttribute('data-month', r[0]); rect.setAttribute('data-count', String(b[0]));
        var tip = document.createElementNS(ns, 'title');
        tip.textContent = r[0] + ': ' + r[1] + (r[1] === 1 ? ' article' : ' articles') + (r[2] ? ', ' + r[2] + ' posts' : '');
        rect.appendChild(tip); svg.appendChild(rect);
      });
    });
    [[rows[0][0], 'start'], [rows[rows.length - 1][0], 'end']].forEach(function (lab, k) {
      var t = document.createElementNS(ns, 'text');
      t.setAttribute('x', k ? String(Math.min(w - 1, 1 + rows.length * bw)) : '1'); t.setAttribute('y', String(h + pad - 2));
      t.setAttribute('text-anchor', lab[1]); t.setAttribute('font-size', '10'); t.setAttribute('fill', '#52606d');
      t.textContent = lab[0]; svg.appendChild(t);
    });
    return svg;
  }
  function hidePanel() { panel.hidden = true; state.selected = null; focusBtn.disabled = true; }
  document.getElementById('kg-close').addEventListener('click', function () { network.unselectAll(); hidePanel(); });
  function select(id, move) {
    if (!nodes.get(id)) { reveal(id); }
    if (nodes.get(id).hidden) { state.focusSet = null; state.article = null; artSel.value = '';
      state.types[INFO[id].type] = true; document.getElementById('kg-type-' + INFO[id].type).checked = true; apply(false); }
    state.selected = id; focusBtn.disabled = false;
    network.selectNodes([id]);
    if (move) { network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false }); }
    showPanel(id);
    var own = network.getConnectedEdges(id);
    showRelations(own.length <= 15 ? own : []);  // a hub's relations are read on hover, one at a time
  }
  view.select = select;
  network.on('click', function (p) {
    if (p.nodes.length && typeof p.nodes[0] === 'string') { view.expand(Number(p.nodes[0].slice(1))); }
    else if (p.nodes.length) { select(p.nodes[0], false); }
    else if (!p.edges.length) { hidePanel(); showRelations([]); }
  });

  // ---- search by any name (and pinyin when the page has it)
  var search = document.getElementById('kg-search'), results = document.getElementById('kg-results');
  var index = INFO.map(function (n) { return [n.id, n.names.concat(n.keys).map(function (s) { return s.toLowerCase(); })]; });
  view.search = function (q) {
    q = q.trim().toLowerCase();
    if (!q) { return []; }
    var exact = [], part = [];
    index.forEach(function (row) {
      if (row[1].indexOf(q) >= 0) { exact.push(row[0]); }
      else if (row[1].some(function (s) { return s.indexOf(q) >= 0; })) { part.push(row[0]); }
    });
    var byDegree = function (a, b) { return INFO[b].degree - INFO[a].degree; };
    return exact.sort(byDegree).concat(part.sort(byDegree));
  };
  function showResults() {
    results.textContent = '';
    view.search(search.value).slice(0, 30).forEach(function (id, k) {
      var li = el('li', { cls: k === 0 ? 'kg-active' : '', 'data-id': String(id) },
        [document.createTextNode(INFO[id].names[0]), el('span', { cls: 'kg-sub', text: INFO[id].type })]);
      li.addEventListener('click', function () { select(id, true); });
      results.appendChild(li);
    });
  }
  search.addEventListener('input', showResults);
  search.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter') { var hits = view.search(search.value); if (hits.length) { select(hits[0], true); } }
  });

  apply(false);
  view.ready = true;
})();

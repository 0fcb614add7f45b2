// The lifecycle diagram, drawn as SVG from the Mermaid state diagram the host serves (/lifecycle.mmd, from
// LifecycleEngine.ToMermaid()). Mermaid itself is not vendored: its renderer is megabytes of script and injects inline
// <style>, which this site's Content-Security-Policy (style-src 'self') refuses. A state diagram needs only its lines
// "A --> B : Trigger" and "[*] --> A", so this file reads those and lays the stages out itself.
'use strict';
window.vicLifecycle = (function () {
  const svgNs = 'http://www.w3.org/2000/svg';

  // { initial, stages (in walk order: the first transition listed from each stage is its way forward), transitions }
  function parse(text) {
    const transitions = [];
    let initial = null;
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      const m = /^(\[\*\]|[\w.-]+)\s*-->\s*(\[\*\]|[\w.-]+)\s*(?::\s*(.*))?$/.exec(line);
      if (!m) continue;
      if (m[1] === '[*]') { initial = m[2]; continue; }
      transitions.push({ from: m[1], to: m[2], trigger: (m[3] || '').trim() });
    }
    if (!initial && transitions.length > 0) initial = transitions[0].from;
    const stages = [];
    const queue = initial ? [initial] : [];
    while (queue.length > 0) {
      const stage = queue.shift();
      if (stages.includes(stage)) continue;
      stages.push(stage);
      for (const t of transitions) if (t.from === stage && !stages.includes(t.to)) queue.push(t.to);
    }
    for (const t of transitions) for (const s of [t.from, t.to]) if (!stages.includes(s)) stages.push(s);
    return { initial, stages, transitions };
  }

  function el(name, attributes, parent) {
    const e = document.createElementNS(svgNs, name);
    for (const [k, v] of Object.entries(attributes || {})) e.setAttribute(k, v);
    if (parent) parent.appendChild(e);
    return e;
  }

  function text(parent, x, y, content, cls) {
    const t = el('text', { x, y, class: cls || '' }, parent);
    t.textContent = content;
    return t;
  }

  // One column of stages in walk order; a step forward is a straight arrow down, any other transition a curve on the
  // right (back) or the left (a skip forward), each further out than the last so that none overlap.
  function draw(container, diagram, counts) {
    const rowHeight = 54, boxWidth = 210, boxHeight = 32, left = 150, top = 40;
    const rank = new Map(diagram.stages.map((s, i) => [s, i]));
    const curves = diagram.transitions.filter((t) => rank.get(t.to) !== rank.get(t.from) + 1);
    const width = left + boxWidth + 70 + curves.length * 22 + 200;
    const height = top + diagram.stages.length * rowHeight + 10;
    const svg = el('svg', { viewBox: '0 0 ' + width + ' ' + height, width, height, role: 'img', 'aria-label': 'The lifecycle: ' + diagram.stages.join(', ') });
    const defs = el('defs', {}, svg);
    const marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
    el('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head' }, marker);

    const cx = left + boxWidth / 2;
    const y = (stage) => top + rank.get(stage) * rowHeight;
    if (diagram.initial) {
      const g = el('g', { class: 'start' }, svg);
      el('circle', { cx, cy: top - 26, r: 7 }, g);
      el('line', { x1: cx, y1: top - 19, x2: cx, y2: top - 2, 'marker-end': 'url(#arrow)' }, g);
    }

    let out = 0, outLeft = 0;
    for (const t of diagram.transitions) {
      const g = el('g', { class: 'edge', 'data-from': t.from, 'data-to': t.to }, svg);
      const y1 = y(t.from), y2 = y(t.to);
      if (t.from === t.to) {
        const x = left + boxWidth, yy = y1 + boxHeight / 2;
        el('path', { d: `M ${x} ${yy - 8} C ${x + 40} ${yy - 30}, ${x + 40} ${yy + 30}, ${x} ${yy + 8}`, 'marker-end': 'url(#arrow)' }, g);
        text(g, x + 36, yy + 4, t.trigger, 'edge-label');
      } else if (rank.get(t.to) === rank.get(t.from) + 1) {
        el('line', { x1: cx, y1: y1 + boxHeight, x2: cx, y2: y2 - 1, 'marker-end': 'url(#arrow)' }, g);
        text(g, cx + 8, (y1 + boxHeight + y2) / 2 + 4, t.trigger, 'edge-label');
      } else if (rank.get(t.to) < rank.get(t.from)) {
        const x = left + boxWidth, bend = x + 70 + (out++) * 22;
        el('path', { d: `M ${x} ${y1 + boxHeight / 2} C ${bend} ${y1 + boxHeight / 2}, ${bend} ${y2 + boxHeight / 2}, ${x + 2} ${y2 + boxHeight / 2}`, 'marker-end': 'url(#arrow)' }, g);
        text(g, bend - 4, y1 + boxHeight / 2 - 4, t.trigger, 'edge-label back');
      } else {
        const x = left, bend = x - 40 - (outLeft++) * 22;
        el('path', { d: `M ${x} ${y1 + boxHeight / 2} C ${bend} ${y1 + boxHeight / 2}, ${bend} ${y2 + boxHeight / 2}, ${x - 2} ${y2 + boxHeight / 2}`, 'marker-end': 'url(#arrow)' }, g);
        text(g, bend - 4, (y1 + y2) / 2 + boxHeight / 2, t.trigger, 'edge-label skip');
      }
    }

    for (const stage of diagram.stages) {
      const n = counts ? counts[stage] || 0 : 0;
      const g = el('g', { class: 'node' + (n > 0 ? ' active' : ''), 'data-stage': stage }, svg);
      el('rect', { x: left, y: y(stage), width: boxWidth, height: boxHeight, rx: 6 }, g);
      text(g, cx, y(stage) + 21, stage + (n > 0 ? ' · ' + n : ''), 'node-label');
      el('title', {}, g).textContent = stage + ': ' + n + ' project(s) here';
    }

    container.replaceChildren(svg);
    return svg;
  }

  return { parse, draw };
})();

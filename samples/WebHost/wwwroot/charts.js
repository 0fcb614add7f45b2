// Horizontal bar charts as SVG, written here (no chart library, no CDN): one bar per line, labelled with its key and value.
'use strict';
window.vicCharts = (function () {
  const svgNs = 'http://www.w3.org/2000/svg';
  const el = (name, attributes, parent) => {
    const e = document.createElementNS(svgNs, name);
    for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v);
    parent.appendChild(e);
    return e;
  };

  // items: [{ key, label, value, text }]; the longest bar is the largest value.
  function bars(container, items, caption) {
    const rowHeight = 26, labelWidth = 260, barWidth = 300, width = labelWidth + barWidth + 170;
    const svg = document.createElementNS(svgNs, 'svg');
    const height = Math.max(1, items.length) * rowHeight + 24;
    for (const [k, v] of Object.entries({ viewBox: '0 0 ' + width + ' ' + height, width, height, role: 'img', 'aria-label': caption })) svg.setAttribute(k, v);
    const title = el('text', { x: 0, y: 14, class: 'chart-caption' }, svg);
    title.textContent = caption;
    const max = Math.max(0, ...items.map((i) => i.value));
    items.forEach((item, index) => {
      const y = 24 + index * rowHeight;
      const g = el('g', { class: 'bar', 'data-key': item.key }, svg);
      const label = el('text', { x: labelWidth - 8, y: y + 16, class: 'bar-label' }, g);
      label.textContent = item.label.length > 36 ? item.label.slice(0, 35) + '…' : item.label;
      const w = max > 0 ? Math.max(2, (item.value / max) * barWidth) : 2;
      el('rect', { x: labelWidth, y: y + 3, width: w, height: rowHeight - 8, rx: 3 }, g);
      const value = el('text', { x: labelWidth + w + 6, y: y + 16, class: 'bar-value' }, g);
      value.textContent = item.text;
      el('title', {}, g).textContent = item.label + ': ' + item.text;
    });
    if (items.length === 0) el('text', { x: 0, y: 40, class: 'bar-label empty' }, svg).textContent = 'No model calls yet.';
    container.replaceChildren(svg);
  }

  return { bars };
})();

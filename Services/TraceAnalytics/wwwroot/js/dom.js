// Builds DOM nodes from data without innerHTML: span names and attributes come from ingested
// telemetry, so nothing from the API is ever parsed as markup.

/** el('tr', { class: 'x', dataset: { spanId: '1' } }, 'text', child, ...) */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name === 'style') setStyles(node, value);
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children.flat().filter(c => c !== undefined && c !== null && c !== false));
  return node;
}

/** { paddingLeft: '8px', '--bar': '40%' } → inline styles (custom properties included). */
function setStyles(node, styles) {
  for (const [key, value] of Object.entries(styles)) {
    node.style.setProperty(key.startsWith('--') ? key : key.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`), value);
  }
}

/** Replaces an element's children. */
export function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter(c => c !== undefined && c !== null && c !== false));
  return node;
}

/** Escapes text for the HTML strings ECharts tooltips are made of. */
export function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/**
 * A section's load state, for people (a status line) and for tests (data-state on the section):
 * loading → ready | empty | error.
 */
export function setSectionState(section, state, message = '') {
  section.dataset.state = state;
  const status = section.querySelector('.section-status');
  if (status) {
    status.textContent = message;
    status.hidden = message === '';
  }
}

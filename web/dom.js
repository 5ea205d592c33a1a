// Tiny DOM helpers: h('tag.class', {attrs}, ...children), attrs optional. Text is always set as text,
// never parsed as HTML, so names and reasons from the API cannot inject markup.

export function h(spec, attrs = {}, ...children) {
  // The attributes may be left out: h('div', child, ...).
  if (attrs instanceof Node || typeof attrs !== 'object' || Array.isArray(attrs)) {
    children.unshift(attrs);
    attrs = {};
  }
  const [tag, ...classes] = spec.split('.');
  const el = document.createElement(tag || 'div');
  if (classes.length) el.className = classes.join(' ');
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'testid') el.dataset.testid = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// A panel: titled box with a stable data-testid.
export function panel(testid, title, ...children) {
  return h('section.panel', { testid }, title ? h('h2', {}, title) : null, ...children);
}

export function errorBox(testid, err) {
  return h('div.error-box', { testid, role: 'alert' }, h('strong', {}, 'Could not load data. '), String(err.message ?? err));
}

// Activity log: decisions and actions with their reasons, filterable by service and kind.
import { h, clear, panel, errorBox } from './dom.js';
import { EventFeed } from './api.js';
import * as fmt from './fmt.js';

const LIMIT = 500;

export class ActivityView {
  constructor(root, app, query) {
    this.app = app;
    this.service = query.get('service') || '';
    this.kind = query.get('kind') || '';
    this.feed = new EventFeed(this.service || null, LIMIT);
    this.serviceSelect = h('select', { testid: 'activity-filter-service', 'aria-label': 'Service', onchange: (e) => this.setFilter(e.target.value, this.kind) });
    this.kindSelect = h('select', { testid: 'activity-filter-kind', 'aria-label': 'Kind', onchange: (e) => this.setFilter(this.service, e.target.value) },
      h('option', { value: '' }, 'decisions and actions'), h('option', { value: 'decision' }, 'decisions'), h('option', { value: 'action' }, 'actions'));
    this.kindSelect.value = this.kind;
    this.count = h('span.count', { testid: 'activity-count' });
    this.body = h('div.table-wrap.activity');
    clear(root, panel('activity-log', 'Activity log: decisions and actions',
      h('div.filters', h('label', {}, 'Service ', this.serviceSelect), h('label', {}, 'Show ', this.kindSelect), this.count), this.body));
    this.fillServices();
    this.refresh();
  }

  fillServices() {
    const ids = (this.app.services?.services ?? []).map((s) => s.id);
    if (this.service && !ids.includes(this.service)) ids.push(this.service);
    const want = ['', ...ids].join('\n');
    if (this.serviceSelect.dataset.ids === want) return;
    this.serviceSelect.dataset.ids = want;
    clear(this.serviceSelect, h('option', { value: '' }, 'all services'), ids.map((id) => h('option', { value: id }, id)));
    this.serviceSelect.value = this.service;
  }

  setFilter(service, kind) {
    const q = new URLSearchParams();
    if (service) q.set('service', service);
    if (kind) q.set('kind', kind);
    history.replaceState(null, '', `#/activity${q.toString() ? '?' + q : ''}`);
    if (service !== this.service) {
      this.service = service;
      this.feed = new EventFeed(service || null, LIMIT);
    }
    this.kind = kind;
    this.refresh();
  }

  update() {
    this.fillServices();
    this.refresh();
  }

  async refresh() {
    const feed = this.feed;
    try {
      await feed.refresh();
      if (feed !== this.feed) return;
      this.render();
    } catch (e) {
      if (feed === this.feed) clear(this.body, errorBox('activity-error', e));
      this.app.markDrawn('activity');
    }
  }

  render() {
    const rows = this.feed.events.filter((e) => !this.kind || e.kind === this.kind);
    this.count.textContent = `${rows.length} shown (newest first${this.feed.events.length >= LIMIT ? `, latest ${LIMIT}` : ''})`;
    if (!rows.length) {
      clear(this.body, h('p.empty', { testid: 'activity-empty' }, 'No decisions or actions yet.'));
    } else {
      clear(this.body, h('table.grid', { testid: 'activity-table' },
        h('thead', {}, h('tr', {}, ['Time', 'Service', 'Kind', 'Action', 'Change', 'Result', 'Reason'].map((c) => h('th.l', {}, c)))),
        h('tbody', {}, rows.map((e) => h('tr', { testid: 'event-row', dataset: { id: String(e.id), service: e.service } },
          h('td.nowrap', {}, fmt.utc(e.time)),
          h('td', {}, h('a', { href: `#/service/${encodeURIComponent(e.service)}` }, e.service)),
          h('td', {}, h(`span.kind.${e.kind}`, {}, e.kind)), h('td', {}, e.action ?? ''), h('td.num.nowrap', {}, fmt.change(e.from, e.to)),
          h(`td.result.${e.result ?? ''}`, {}, e.result ?? ''), h('td.reason', {}, e.reason ?? ''))))));
    }
    this.app.markDrawn('activity');
  }

  destroy() {}
}

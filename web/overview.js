// Overview: one row per service, and the latest decisions and actions.
import { h, clear, panel } from './dom.js';
import * as fmt from './fmt.js';

const COLUMNS = [
  ['service', 'Service'],
  ['status', 'SLO'],
  ['availability', 'Availability'],
  ['error_budget_remaining', 'Error budget left'],
  ['prediction_accuracy_percent', 'Prediction accuracy'],
  ['remediation_success_rate', 'Auto-remediation success'],
  ['replicas', 'Replicas desired / ready'],
  ['load_rps', 'Load'],
  ['latency_p99_seconds', 'Latency p99'],
  ['actions', 'Scaling actions'],
];

// What each cell shows; exported for the browser test, which compares it with the API.
export function cells(s) {
  return {
    service: `${s.name} (${s.policy})`,
    status: fmt.statusLabel(s.status),
    availability: fmt.availability(s.availability),
    error_budget_remaining: fmt.errorBudget(s.error_budget_remaining),
    prediction_accuracy_percent: fmt.accuracy(s.prediction_accuracy_percent),
    remediation_success_rate: fmt.remediation(s.remediation_success_rate),
    replicas: fmt.replicaPair(s.replicas?.desired, s.replicas?.ready),
    load_rps: fmt.rps(s.load_rps),
    latency_p99_seconds: fmt.latencyMs(s.latency_p99_seconds),
    actions: fmt.number(s.actions),
  };
}

function budgetClass(v) {
  if (typeof v !== 'number') return '';
  return v < 0 ? 'neg' : v < 0.25 ? 'low' : '';
}

export class OverviewView {
  constructor(root, app) {
    this.app = app;
    this.tableHost = h('div.table-wrap');
    this.summary = h('p.summary', { testid: 'overview-summary' });
    this.activity = h('div');
    clear(
      root,
      h(
        'div.overview',
        panel('overview-services', 'Services', this.summary, this.tableHost),
        panel('overview-activity', 'Latest decisions and actions', this.activity,
          h('a.more', { href: '#/activity' }, 'Full activity log →')),
      ),
    );
  }

  update() {
    const data = this.app.services;
    if (!data) {
      this.renderActivity(); // The events may come even when the services do not.
      return;
    }
    const services = data.services ?? [];
    const by = { green: 0, yellow: 0, red: 0 };
    for (const s of services) if (s.status in by) by[s.status]++;
    clear(
      this.summary,
      `${services.length} services · SLO window ${fmt.utc(data.window?.from)} – ${fmt.utc(data.window?.to)} · `,
      h('span.dot.green'), ` ${by.green} OK  `, h('span.dot.yellow'), ` ${by.yellow} at risk  `,
      h('span.dot.red'), ` ${by.red} breached`,
    );
    const table = h(
      'table.grid.services',
      { testid: 'overview-table', dataset: { now: String(data.now) } },
      h('thead', {}, h('tr', {}, COLUMNS.map(([k, label]) => h('th', { class: k === 'service' ? 'l' : 'r' }, label)))),
      h(
        'tbody',
        {},
        services.map((s) => {
          const c = cells(s);
          const go = () => (location.hash = `#/service/${encodeURIComponent(s.id)}`);
          return h(
            'tr.click',
            { testid: 'service-row', dataset: { service: s.id }, tabindex: 0, onclick: go, onkeydown: (e) => e.key === 'Enter' && go() },
            COLUMNS.map(([k]) => {
              if (k === 'service') {
                return h('td.l', { dataset: { field: k } }, h('a', { href: `#/service/${encodeURIComponent(s.id)}` }, s.name), h('span.policy', {}, s.policy));
              }
              if (k === 'status') {
                return h('td.r', { dataset: { field: k } }, h(`span.badge.${s.status}`, {}, c.status));
              }
              const cls = k === 'error_budget_remaining' ? budgetClass(s.error_budget_remaining) : k === 'availability' ? s.status : '';
              return h(`td.r.num${cls ? '.' + cls : ''}`, { dataset: { field: k } }, c[k]);
            }),
          );
        }),
      ),
    );
    if (!services.length) clear(this.tableHost, h('p.empty', { testid: 'overview-empty' }, 'No services reported by the source yet.'));
    else clear(this.tableHost, table);
    this.renderActivity();
    this.app.markDrawn('overview');
  }

  renderActivity() {
    const events = this.app.feed.events.slice(0, 8);
    if (!events.length) {
      clear(this.activity, h('p.empty', {}, this.app.feed.loaded ? 'No decisions or actions yet.' : 'Loading…'));
      return;
    }
    clear(
      this.activity,
      h('ul.feed', { testid: 'overview-activity-list' }, events.map((e) =>
        h('li', { dataset: { id: String(e.id) } },
          h('span.t', {}, fmt.utc(e.time).slice(11, 16)), ' ',
          h('a', { href: `#/service/${encodeURIComponent(e.service)}` }, e.service), ' ',
          h(`span.kind.${e.kind}`, {}, e.action ?? e.kind), ' ',
          h('span.num', {}, fmt.change(e.from, e.to)), ' ',
          h('span.reason', {}, e.reason ?? '')),
      )),
    );
  }

  destroy() {}
}

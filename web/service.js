// Service page: predicted vs actual load with the forecast band, replicas, p99 latency
// against the SLO, scaling events on every chart, and a range selector.
import { h, clear, panel, errorBox } from './dom.js';
import { getJSON } from './api.js';
import { Chart, COLORS } from './charts.js';
import * as fmt from './fmt.js';

const DAY = 86400;
const MAX_SPAN = 31 * DAY; // The API refuses longer spans.
export const RANGES = { '6h': 6 * 3600, '24h': DAY, '7d': 7 * DAY, all: null };

// The query for a range, relative to the source's clock; `all` is the service's SLO
// window (the source's where the service has none).
export function rangeQuery(range, services, id) {
  const now = services.now;
  const to = now + 60; // `to` is exclusive: include the latest minute.
  const window = (services.services ?? []).find((s) => s.id === id)?.window ?? services.window;
  let from = RANGES[range] ? now - RANGES[range] : (window?.from ?? now - DAY);
  from = Math.max(from, to - MAX_SPAN);
  return { from, to };
}

const n = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function columns(s, slo) {
  const lower = s.forecast_lower_rps ?? [];
  const upper = s.forecast_upper_rps ?? [];
  // The band: lower..upper; where only the upper bound is known, forecast..upper.
  const bandLow = s.time.map((_, i) => n(lower[i]) ?? (n(upper[i]) !== null ? n(s.forecast_rps?.[i]) : null));
  const bandHigh = s.time.map((_, i) => (bandLow[i] !== null ? n(upper[i]) : null));
  return {
    load: [s.time, s.actual_rps, s.forecast_rps, bandHigh, bandLow],
    replicas: [s.time, s.replicas_desired, s.replicas_ready, s.hpa_min_replicas, s.placeholders],
    latency: [s.time, s.latency_p99_seconds, s.time.map(() => (n(slo) !== null ? slo : null))],
  };
}

// A few overload minutes (seconds of p99) would squash the SLO line flat: the axis shows
// up to 3x the SLO or the 98th percentile, whichever is higher; spikes above clip.
function latencyCap(values, slo) {
  const v = (values ?? []).filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return Infinity;
  const p98 = v[Math.min(v.length - 1, Math.floor(v.length * 0.98))];
  const cap = Math.max(p98, n(slo) !== null ? 3 * slo : 0);
  return cap < v[v.length - 1] ? cap : Infinity;
}

const rpsTicks = (u, ticks) => ticks.map((v) => fmt.number(v, 0));
const msTicks = (u, ticks) => ticks.map((v) => fmt.number(v * 1000, 0));

export class ServiceView {
  constructor(root, app, id, query) {
    this.app = app;
    this.id = id;
    this.range = query.get('range') in RANGES ? query.get('range') : '24h';
    this.charts = {};
    this.events = [];
    this.violations = null;
    this.loadedNow = null;
    this.loading = false;

    this.title = h('h1', {}, id);
    this.kpis = h('div.kpis', { testid: 'service-kpis' });
    this.rangeBar = h('div.ranges', { testid: 'range-selector', role: 'group', 'aria-label': 'Time range' },
      Object.keys(RANGES).map((r) => h('button', { type: 'button', dataset: { range: r }, onclick: () => this.setRange(r) }, r)));
    this.rangeInfo = h('span.range-info', { testid: 'range-info' });
    this.hosts = {
      load: h('div.chart', { testid: 'chart-load' }),
      replicas: h('div.chart', { testid: 'chart-replicas' }),
      latency: h('div.chart', { testid: 'chart-latency' }),
    };
    this.eventsHost = h('div.table-wrap.events');
    this.error = h('div');
    this.latencyNote = h('p.legend-note', {}, 'Shaded: minutes that violated the SLO');
    this.latencyCap = Infinity;
    // Drawn (for the speed bench's mark) once all three charts have drawn this load.
    root.addEventListener('drawn', () => this.maybeMarkDrawn());
    clear(
      root,
      h('div.service',
        h('div.svc-head', h('a.back', { href: '#/' }, '← Overview'), this.title, h('div.spacer'), this.rangeBar, this.rangeInfo),
        this.error,
        this.kpis,
        panel('panel-load', 'Load: actual vs predicted (requests/s)', h('p.legend-note', {}, 'Shaded: forecast band · vertical lines with ▲ (raise) / ▼ (cut): scaling events'), this.hosts.load),
        h('div.two',
          panel('panel-replicas', 'Replicas: desired, ready, HPA floor, placeholders', this.hosts.replicas),
          panel('panel-latency', 'Latency p99 against the SLO (ms)', this.latencyNote, this.hosts.latency)),
        panel('service-events', 'Scaling events in range', this.eventsHost)),
    );
    this.markRange();
    this.load();
  }

  setRange(r) {
    this.range = r;
    history.replaceState(null, '', `#/service/${encodeURIComponent(this.id)}?range=${r}`);
    this.markRange();
    this.destroyCharts();
    this.load();
  }

  markRange() {
    for (const b of this.rangeBar.children) b.classList.toggle('on', b.dataset.range === this.range);
  }

  // Polls: the clock moved (live source) -> fetch the range again.
  update() {
    if (this.app.services && this.app.services.now !== this.loadedNow && !this.loading) this.load();
  }

  async load() {
    const services = this.app.services;
    if (!services) return; // The first poll calls update() when it lands.
    this.loading = true;
    const range = this.range;
    const q = rangeQuery(range, services, this.id);
    const id = encodeURIComponent(this.id);
    try {
      const [svc, series] = await Promise.all([
        getJSON(`/api/v1/services/${id}`),
        getJSON(`/api/v1/services/${id}/series`, q),
      ]);
      if (range !== this.range) return; // A newer range was chosen meanwhile.
      this.loadedNow = services.now;
      clear(this.error);
      this.render(svc, series);
    } catch (e) {
      clear(this.error, errorBox('service-error', e));
      this.app.markDrawn('service');
    } finally {
      this.loading = false;
    }
  }

  render(svc, s) {
    this.title.textContent = `${svc.name} (${svc.policy})`;
    this.title.dataset.service = svc.id;
    document.title = `${svc.name} (${svc.policy}) · Prescient`;
    this.renderKpis(svc);
    this.rangeInfo.textContent = `${fmt.utc(s.from)} – ${fmt.utc(s.to)} · step ${s.step_seconds / 60} min · ${s.time.length} points`;
    this.events = s.events ?? [];
    this.violations = s.slo_violation ?? null;
    const cols = columns(s, svc.slo?.p99_seconds);
    this.latencyCap = latencyCap(s.latency_p99_seconds, svc.slo?.p99_seconds);
    this.latencyNote.textContent = Number.isFinite(this.latencyCap)
      ? `Shaded: minutes that violated the SLO · axis capped at ${fmt.latencyMs(this.latencyCap)}: higher spikes reach the top`
      : 'Shaded: minutes that violated the SLO';
    if (!this.charts.load) {
      this.charts.load = new Chart(this.hosts.load, {
        yLabel: 'requests/s', values: rpsTicks, height: 200,
        series: [
          { label: 'actual', stroke: COLORS.blue, width: 2 },
          { label: 'forecast', stroke: COLORS.orange, width: 2, dash: [8, 4] },
          { label: 'forecast band', stroke: 'rgba(230,159,0,0.5)', width: 1 },
          { label: 'band lower', stroke: 'rgba(230,159,0,0.5)', width: 1 },
        ],
        bands: [[3, 4, 'rgba(230,159,0,0.22)']],
      }, cols.load, () => this.events, null);
      this.charts.replicas = new Chart(this.hosts.replicas, {
        yLabel: 'pods', height: 180,
        series: [
          { label: 'desired', stroke: COLORS.blue, width: 3, stepped: true },
          { label: 'ready', stroke: COLORS.green, width: 2, stepped: true, dash: [2, 2] },
          { label: 'HPA floor', stroke: COLORS.orange, width: 2, stepped: true, dash: [8, 4] },
          { label: 'placeholders', stroke: COLORS.purple, width: 2, stepped: true },
        ],
      }, cols.replicas, () => this.events, null);
      this.charts.latency = new Chart(this.hosts.latency, {
        yLabel: 'ms', values: msTicks, height: 180, yCap: () => this.latencyCap,
        series: [
          { label: 'p99', stroke: COLORS.blue, width: 2, value: (u, v) => fmt.latencyMs(v) },
          { label: 'SLO', stroke: COLORS.vermillion, width: 2, dash: [6, 4], value: (u, v) => fmt.latencyMs(v) },
        ],
      }, cols.latency, () => this.events, () => this.violations);
    } else {
      this.charts.load.setData(cols.load);
      this.charts.replicas.setData(cols.replicas);
      this.charts.latency.setData(cols.latency);
    }
    this.renderEvents();
    this.maybeMarkDrawn();
  }

  maybeMarkDrawn() {
    if (Object.values(this.hosts).every((x) => Number(x.dataset.drawn || 0) > 0)) this.app.markDrawn('service');
  }

  renderKpis(svc) {
    const t = svc.totals ?? {};
    const r = svc.replicas ?? {};
    const kpi = (field, label, value, cls = '') =>
      h(`div.kpi${cls ? '.' + cls : ''}`, { dataset: { field }, title: label }, h('div.k', {}, label), h('div.v', {}, value));
    clear(
      this.kpis,
      kpi('status', 'SLO', h(`span.badge.${svc.status}`, {}, fmt.statusLabel(svc.status))),
      kpi('availability', 'Availability', fmt.availability(svc.availability), svc.status),
      kpi('error_budget_remaining', 'Budget left', fmt.errorBudget(svc.error_budget_remaining)),
      kpi('prediction_accuracy_percent', 'Accuracy', fmt.accuracy(svc.prediction_accuracy_percent)),
      kpi('remediation_success_rate', 'Remediation', fmt.remediation(svc.remediation_success_rate)),
      kpi('replicas', 'Desired / ready', fmt.replicaPair(r.desired, r.ready)),
      kpi('hpa_min', 'Floor / placeh.', `${fmt.replicas(r.hpa_min)} / ${fmt.replicas(r.placeholders)}`),
      kpi('load_rps', 'Load now', fmt.rps(svc.load_rps)),
      kpi('latency_p99_seconds', `p99 · SLO ${fmt.latencyMs(svc.slo?.p99_seconds)}`, fmt.latencyMs(svc.latency_p99_seconds)),
      kpi('slo_violation_minutes', 'Bad minutes', `${fmt.number(t.slo_violation_minutes)} of ${fmt.number(t.minutes)}`),
      kpi('pod_hours', 'Pod-hours', fmt.number(t.pod_hours, 1)),
    );
  }

  renderEvents() {
    const ev = this.events.slice(0, 100);
    if (!ev.length) {
      clear(this.eventsHost, h('p.empty', {}, 'No scaling events in this range.'));
      return;
    }
    clear(
      this.eventsHost,
      h('table.grid', { testid: 'service-events-table' },
        h('thead', {}, h('tr', {}, ['Time', 'Kind', 'Action', 'Change', 'Result', 'Reason'].map((c) => h('th.l', {}, c)))),
        h('tbody', {}, ev.map((e) => h('tr', { testid: 'event-row', dataset: { id: String(e.id) } },
          h('td.nowrap', {}, fmt.utc(e.time)), h('td', {}, e.kind), h('td', {}, e.action ?? ''),
          h('td.num', {}, fmt.change(e.from, e.to)), h(`td.result.${e.result ?? ''}`, {}, e.result ?? ''), h('td.reason', {}, e.reason ?? ''))))),
      this.events.length > ev.length ? h('p.empty', {}, `${this.events.length - ev.length} older events in range not shown.`) : null,
    );
  }

  destroyCharts() {
    for (const c of Object.values(this.charts)) c.destroy();
    this.charts = {};
    for (const host of Object.values(this.hosts)) {
      delete host.dataset.drawn;
      delete host.dataset.points;
      delete host.dataset.series;
    }
  }

  destroy() {
    this.destroyCharts();
  }
}

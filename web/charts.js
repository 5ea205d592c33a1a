// uPlot charts of the service page. uPlot is the global from /vendor/uPlot.iife.min.js.
// Each chart's container records what it drew (data-drawn, data-points, data-series,
// data-events) so the browser test can check the charts hold the API's data.

// Okabe-Ito: safe for the common colour-vision deficiencies; lines also differ by dash.
export const COLORS = {
  blue: '#0072B2',
  orange: '#E69F00',
  green: '#009E73',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  sky: '#56B4E9',
  grey: '#555555',
};

const uPlot = globalThis.uPlot;

// Vertical markers at scaling events, and shading where the SLO was violated.
function overlays(getEvents, getViolations) {
  return {
    hooks: {
      drawClear: [
        (u) => {
          const v = getViolations ? getViolations() : null;
          if (!v) return;
          const { ctx, bbox } = u;
          const xs = u.data[0];
          ctx.save();
          ctx.fillStyle = 'rgba(213, 94, 0, 0.12)';
          for (let i = 0; i < xs.length; i++) {
            if (!v[i]) continue;
            const x0 = u.valToPos(xs[i], 'x', true);
            const x1 = i + 1 < xs.length ? u.valToPos(xs[i + 1], 'x', true) : x0 + 2;
            ctx.fillRect(x0, bbox.top, Math.max(1, x1 - x0), bbox.height);
          }
          ctx.restore();
        },
      ],
      draw: [
        (u) => {
          const events = getEvents();
          const { ctx, bbox } = u;
          const [x0, x1] = [u.scales.x.min, u.scales.x.max];
          const inView = events.filter((e) => e.time >= x0 && e.time <= x1);
          // Many events (the HPA may act every few minutes): faint solid lines, so the
          // series stay readable; few: dashed lines that stand out.
          const dense = inView.length > 40;
          ctx.save();
          ctx.strokeStyle = dense ? 'rgba(60, 60, 60, 0.14)' : 'rgba(60, 60, 60, 0.55)';
          ctx.fillStyle = '#333';
          ctx.lineWidth = Math.max(1, devicePixelRatio);
          ctx.setLineDash(dense ? [] : [4 * devicePixelRatio, 3 * devicePixelRatio]);
          let drawn = 0;
          for (const e of inView) {
            const x = Math.round(u.valToPos(e.time, 'x', true)) + 0.5;
            ctx.beginPath();
            ctx.moveTo(x, bbox.top);
            ctx.lineTo(x, bbox.top + bbox.height);
            ctx.stroke();
            // A small triangle on top: up for a raise, down for a cut.
            const s = 4 * devicePixelRatio;
            const up = !(typeof e.to === 'number' && typeof e.from === 'number' && e.to < e.from);
            ctx.beginPath();
            if (up) {
              ctx.moveTo(x - s, bbox.top + s * 1.6);
              ctx.lineTo(x + s, bbox.top + s * 1.6);
              ctx.lineTo(x, bbox.top);
            } else {
              ctx.moveTo(x - s, bbox.top);
              ctx.lineTo(x + s, bbox.top);
              ctx.lineTo(x, bbox.top + s * 1.6);
            }
            ctx.fill();
            drawn++;
          }
          ctx.restore();
          u.root.parentElement?.setAttribute('data-events', String(drawn));
        },
      ],
    },
  };
}

function countNonNull(a) {
  let n = 0;
  for (const v of a) if (v !== null && v !== undefined && !Number.isNaN(v)) n++;
  return n;
}

// Records what the chart holds on its container, after each draw.
function recordDrawn(host) {
  return {
    hooks: {
      draw: [
        (u) => {
          const counts = {};
          u.series.forEach((s, i) => {
            if (i > 0) counts[s.label] = countNonNull(u.data[i]);
          });
          host.dataset.points = String(u.data[0].length);
          host.dataset.series = JSON.stringify(counts);
          host.dataset.drawn = String(Number(host.dataset.drawn || 0) + 1);
          host.dispatchEvent(new CustomEvent('drawn', { bubbles: true }));
        },
      ],
    },
  };
}

const utcDate = (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC');

const pad = (n) => String(n).padStart(2, '0');
// Time ticks in UTC, 24-hour: "14:00", with the date under the first tick and midnight.
function timeTicks(u, splits, axisIdx, space, incr) {
  return splits.map((t, i) => {
    const d = new Date(t * 1000);
    const day = `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    if (incr >= 86400) return day;
    const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
    return i === 0 || (d.getUTCHours() === 0 && d.getUTCMinutes() === 0) ? `${hm}\n${day}` : hm;
  });
}

// spec: {yLabel, series: [{label, stroke, dash, width, stepped, fill, hidden}],
//        bands: [[upperIdx, lowerIdx, fill]], yMin, values: fn for axis ticks,
//        yCap: fn(u) -> the highest value the y axis needs to show (spikes above clip)}
export class Chart {
  constructor(host, spec, data, getEvents, getViolations) {
    this.host = host;
    this.spec = spec;
    const stepped = uPlot.paths.stepped({ align: 1 });
    const opts = {
      width: Math.max(300, host.clientWidth),
      height: spec.height ?? 230,
      tzDate: utcDate,
      cursor: { sync: { key: 'prescient-service' }, drag: { x: true, y: false } },
      legend: { live: true },
      scales: {
        x: { time: true },
        y: {
          range: (u, min, max) => {
            const top = spec.yCap ? Math.min(max, spec.yCap(u)) : max;
            return [spec.yMin ?? Math.min(0, min), top > 0 ? top * 1.08 : 1];
          },
        },
      },
      axes: [
        { label: 'time (UTC)', labelSize: 18, stroke: '#333', grid: { stroke: '#e6e6e6' }, values: timeTicks },
        {
          label: spec.yLabel,
          labelSize: 18,
          size: 62,
          stroke: '#333',
          grid: { stroke: '#e6e6e6' },
          values: spec.values,
        },
      ],
      series: [
        { label: 'time', value: (u, v) => (v == null ? '' : new Date(v * 1000).toISOString().slice(0, 16).replace('T', ' ') + ' UTC') },
        ...spec.series.map((s) => ({
          label: s.label,
          stroke: s.stroke,
          width: s.width ?? 2,
          dash: s.dash,
          fill: s.fill,
          show: !s.hidden,
          spanGaps: false,
          points: { show: false },
          paths: s.stepped ? stepped : undefined,
          value: s.value,
        })),
      ],
      bands: (spec.bands ?? []).map(([a, b, fill]) => ({ series: [a, b], fill })),
      plugins: [overlays(getEvents, getViolations), recordDrawn(host)],
    };
    this.u = new uPlot(opts, data, host);
    this.resizer = new ResizeObserver(() => {
      const w = Math.max(300, host.clientWidth);
      if (w !== this.u.width) this.u.setSize({ width: w, height: this.u.height });
    });
    this.resizer.observe(host);
  }

  setData(data) {
    this.u.setData(data);
  }

  redraw() {
    this.u.redraw(false, false);
  }

  destroy() {
    this.resizer.disconnect();
    this.u.destroy();
  }
}

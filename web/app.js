// The dashboard's shell: hash routing (#/, #/service/ID, #/activity, #/nodes), the
// header with the source and its clock, polling, and the error banner. Views are
// classes with update() (called after each poll) and destroy().
import { h, clear, errorBox } from './dom.js';
import { getJSON, EventFeed } from './api.js';
import { OverviewView } from './overview.js';
import { ServiceView } from './service.js';
import { ActivityView } from './activity.js';
import { NodesView } from './nodes.js';
import * as fmt from './fmt.js';

const POLL_MS = 5000;

class App {
  constructor(root) {
    this.services = null; // Latest /api/v1/services.
    this.feed = new EventFeed(null, 200);
    this.view = null;
    this.lastOk = null;
    this.source = h('span.source', { testid: 'source' }, '…');
    this.clock = h('span.clock', { testid: 'clock' }, '…');
    this.updated = h('span.updated', { testid: 'updated' });
    this.banner = h('div.banner', { testid: 'error-banner', role: 'alert', hidden: true });
    this.main = h('main', { testid: 'view' });
    this.nav = h('nav', {},
      h('a', { href: '#/', dataset: { nav: 'overview' } }, 'Overview'),
      h('a', { href: '#/activity', dataset: { nav: 'activity' } }, 'Activity log'),
      h('a', { href: '#/nodes', dataset: { nav: 'nodes' } }, 'Nodes'));
    clear(root,
      h('header', {}, h('a.brand', { href: '#/' }, 'Prescient'), this.nav, h('div.spacer'),
        h('div.meta', {}, 'source ', this.source, ' · clock ', this.clock, ' ', this.updated)),
      this.banner, this.main);
    addEventListener('hashchange', () => this.route());
    this.route();
    this.poll();
  }

  // One mark per view the first time it is drawn with data (or with an error): the
  // speed bench reads it with the Navigation Timing entries.
  markDrawn(view) {
    const name = `prescient:drawn:${view}`;
    // The next frame: what was built is about to be painted.
    requestAnimationFrame(() => {
      if (document.body.dataset.view !== view) return;
      document.body.dataset.drawn = view;
      if (!performance.getEntriesByName(name).length) performance.mark(name);
    });
  }

  route() {
    const hash = location.hash.replace(/^#/, '') || '/';
    const [path, qs] = hash.split('?');
    const query = new URLSearchParams(qs ?? '');
    const parts = path.split('/').filter(Boolean);
    this.view?.destroy();
    this.view = null;
    document.body.dataset.drawn = '';
    document.title = 'Prescient';
    let name = 'overview';
    if (parts[0] === 'service' && parts[1]) {
      name = 'service';
      this.view = new ServiceView(this.main, this, decodeURIComponent(parts[1]), query);
    } else if (parts[0] === 'activity') {
      name = 'activity';
      this.view = new ActivityView(this.main, this, query);
    } else if (parts[0] === 'nodes') {
      name = 'nodes';
      this.view = new NodesView(this.main, this);
    } else {
      this.view = new OverviewView(this.main, this);
      if (this.services) this.view.update();
      else clear(this.main.querySelector('[data-testid=overview-services] .table-wrap'), h('p.empty', {}, 'Loading…'));
    }
    document.body.dataset.view = name;
    for (const a of this.nav.children) a.classList.toggle('on', a.dataset.nav === name || (name === 'service' && a.dataset.nav === 'overview'));
  }

  async poll() {
    const errors = [];
    try {
      this.services = await getJSON('/api/v1/services');
      this.source.textContent = this.services.source ?? '?';
      this.clock.textContent = fmt.utc(this.services.now);
      this.clock.dataset.now = String(this.services.now);
      this.lastOk = new Date();
    } catch (e) {
      errors.push(e);
      if (!this.services && this.view instanceof OverviewView) {
        clear(this.main.querySelector('[data-testid=overview-services] .table-wrap'), errorBox('overview-error', e));
        this.view.app.markDrawn('overview');
      }
    }
    try {
      await this.feed.refresh();
    } catch (e) {
      errors.push(e);
    }
    this.showErrors(errors);
    try {
      this.view?.update();
    } catch (e) {
      this.showErrors([e]);
    }
    setTimeout(() => this.poll(), POLL_MS);
  }

  showErrors(errors) {
    const when = this.lastOk ? `last good data ${this.lastOk.toISOString().slice(11, 19)} (browser time)` : 'no data received yet';
    this.updated.textContent = this.lastOk ? `· updated ${this.lastOk.toTimeString().slice(0, 8)}` : '';
    if (!errors.length) {
      this.banner.hidden = true;
      return;
    }
    this.banner.hidden = false;
    clear(this.banner, h('strong', {}, 'API error: '), errors.map((e) => e.message).join(' · '), ` — ${when}; retrying every ${POLL_MS / 1000} s.`);
  }
}

try {
  new App(document.getElementById('app'));
} catch (e) {
  // Never a blank page.
  document.getElementById('app').textContent = `The dashboard failed to start: ${e.message}`;
}

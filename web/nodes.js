// Nodes: what the cluster (or each of the demo's two simulated clusters) runs on.
import { h, clear, panel, errorBox } from './dom.js';
import { getJSON } from './api.js';
import * as fmt from './fmt.js';

export class NodesView {
  constructor(root, app) {
    this.app = app;
    this.body = h('div.table-wrap');
    this.summary = h('p.summary', { testid: 'nodes-summary' });
    clear(root, panel('nodes', 'Nodes', this.summary, this.body));
    this.refresh();
  }

  update() {
    this.refresh();
  }

  async refresh() {
    try {
      const { nodes = [] } = await getJSON('/api/v1/nodes');
      const clusters = {};
      for (const n of nodes) clusters[n.cluster] = (clusters[n.cluster] ?? 0) + 1;
      this.summary.textContent = `${nodes.length} nodes` + (Object.keys(clusters).length
        ? ` · ${Object.entries(clusters).map(([c, k]) => `${c}: ${k}`).join(' · ')}` : '');
      if (!nodes.length) {
        clear(this.body, h('p.empty', {}, 'No nodes reported.'));
      } else {
        clear(this.body, h('table.grid', { testid: 'nodes-table' },
          h('thead', {}, h('tr', {}, ['Name', 'Cluster', 'Zone', 'Instance type', 'Capacity', 'Ready', 'Pods', 'CPU requested / allocatable'].map((c) => h('th.l', {}, c)))),
          h('tbody', {}, nodes.map((n) => h('tr', { testid: 'node-row', dataset: { name: n.name } },
            h('td', {}, n.name), h('td', {}, n.cluster), h('td', {}, n.zone ?? ''), h('td', {}, n.instance_type ?? ''),
            h('td', {}, n.capacity_type ?? ''), h('td', {}, n.ready ? 'yes' : h('strong.bad', {}, 'no')), h('td.num', {}, fmt.number(n.pods)),
            h('td.num', {}, `${fmt.number(n.cpu_requested, 1)} / ${fmt.number(n.cpu_allocatable, 1)}`))))));
      }
    } catch (e) {
      clear(this.body, errorBox('nodes-error', e));
    }
    this.app.markDrawn('nodes');
  }

  destroy() {}
}

// Small graphs drawn with Cytoscape.js (vendored, loaded on first use). Every graph also has
// a text equivalent in the page (lists of links): the canvas is for the eye, not the only way in.

let library = null;

export function cytoscapeLib() {
  library ??= import('../vendor/cytoscape.esm.min.js').then((module) => module.default);
  return library;
}

// Okabe–Ito colours: distinguishable with every common colour-vision deficiency.
export const COLOURS = { blue: '#0072B2', orange: '#E69F00', sky: '#56B4E9', ink: '#1d2430', grey: '#6b7480', paper: '#ffffff' };

const STYLE = [
  {
    selector: 'node',
    style: {
      shape: 'round-rectangle', width: 150, height: 56, 'background-color': '#eef3f8', 'border-width': 1.5,
      'border-color': COLOURS.grey, label: 'data(label)', 'text-wrap': 'wrap', 'text-max-width': 138,
      'text-valign': 'center', 'text-halign': 'center', 'font-size': 12, color: COLOURS.ink,
      'font-family': 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    },
  },
  { selector: 'node[kind = "focus"]', style: { 'background-color': COLOURS.blue, color: '#fff', 'border-color': COLOURS.ink, 'border-width': 2, 'font-weight': 'bold' } },
  { selector: 'node[kind = "start"]', style: { shape: 'ellipse', 'background-color': '#fff', 'border-style': 'double', 'border-width': 4, 'border-color': COLOURS.ink } },
  { selector: 'node[kind = "target"]', style: { 'background-color': COLOURS.blue, color: '#fff', 'border-color': COLOURS.ink, 'border-width': 3, 'font-weight': 'bold' } },
  { selector: 'node[?link]', style: { 'underlay-color': COLOURS.sky, 'underlay-padding': 0, 'underlay-opacity': 0 } },
  { selector: 'node[?link]:active, node[?link]:selected', style: { 'underlay-opacity': 0.3, 'underlay-padding': 6 } },
  {
    selector: 'edge',
    style: {
      width: 2.5, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'line-color': COLOURS.blue,
      'target-arrow-color': COLOURS.blue, label: 'data(label)', 'font-size': 11, color: COLOURS.ink,
      'text-background-color': '#fff', 'text-background-opacity': 0.9, 'text-background-padding': 2,
      'text-rotation': 'none',
    },
  },
  { selector: 'edge[taxi = "down"]', style: { 'curve-style': 'taxi', 'taxi-direction': 'downward', 'taxi-turn': '100%', 'taxi-turn-min-distance': 0, 'text-margin-x': 34, 'source-endpoint': '0 50%' } },
  { selector: 'edge[taxi = "left"]', style: { 'curve-style': 'taxi', 'taxi-direction': 'leftward', 'taxi-turn': '100%', 'taxi-turn-min-distance': 0, 'text-margin-x': 34, 'target-endpoint': '0 -50%' } },
  { selector: 'edge[kind = "lateral"]', style: { 'line-style': 'dashed', 'line-dash-pattern': [7, 4], 'line-color': COLOURS.orange, 'target-arrow-color': COLOURS.orange, 'target-arrow-shape': 'triangle-tee' } },
];

/**
 * Draw nodes [{id, label, kind, x, y, href}] and edges [{source, target, label, kind}] into `container`
 * (replacing what was there). Tapping a node with an href follows it.
 */
export async function drawGraph(container, { nodes, edges }) {
  const cytoscape = await cytoscapeLib();
  container._cy?.destroy();
  const cy = cytoscape({
    container,
    elements: [
      ...nodes.map((n) => ({ data: { id: n.id, label: n.label, kind: n.kind ?? 'plain', link: Boolean(n.href), href: n.href }, position: { x: n.x, y: n.y } })),
      ...edges.map((e, i) => ({ data: { id: `e${i}`, source: e.source, target: e.target, label: e.label ?? '', kind: e.kind ?? 'up', taxi: e.taxi ?? 'none' } })),
    ],
    style: STYLE,
    layout: { name: 'preset', padding: 16 },
    userZoomingEnabled: false, userPanningEnabled: false, boxSelectionEnabled: false, autoungrabify: true,
    minZoom: 0.35, maxZoom: 1.3,
  });
  cy.on('tap', 'node', (event) => {
    const href = event.target.data('href');
    if (href) location.hash = href;
  });
  cy.on('mouseover', 'node[?link]', () => { container.style.cursor = 'pointer'; });
  cy.on('mouseout', 'node', () => { container.style.cursor = ''; });
  const fit = () => { cy.resize(); cy.fit(undefined, 16); };
  fit();
  if (!container._observer && 'ResizeObserver' in window) {
    let frame = 0;
    container._observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => container._cy && !container._cy.destroyed() && (container._cy.resize(), container._cy.fit(undefined, 16)));
    });
    container._observer.observe(container);
  }
  container._cy = cy;
  container.dataset.nodes = String(nodes.length);
  container.dataset.edges = String(edges.length);
  container.dataset.ready = 'true';
  return cy;
}

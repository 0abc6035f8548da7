// Chart.js charts (libjs-chart.js). Each chart sits beside a table with the same numbers, so the
// page says everything without the library too.
import { h } from '../core/dom.js';

export const palette = ['#1d4f91', '#2e9d5b', '#d9822b', '#c23b3b', '#7a5cb8', '#2a9fb0', '#8c8c8c', '#b5a22c', '#d15fa0', '#4e6e3a'];

/** A chart in a box of fixed height; returns {el, destroy}. */
export function chartBox(Chart, config, { label }) {
  const canvas = h('canvas', { role: 'img', 'aria-label': label });
  const el = h('div', { class: 'chart-box' }, canvas);
  let chart = null;
  // Drawn once the box is in the page, so the chart knows its size.
  requestAnimationFrame(() => {
    if (!canvas.isConnected) return;
    chart = new Chart(canvas, {
      ...config,
      options: { responsive: true, maintainAspectRatio: false, animation: false, ...(config.options || {}) },
    });
    el.dataset.drawn = 'true';
  });
  return { el, destroy: () => chart && chart.destroy() };
}

export function barConfig(labels, datasets, { stacked = false, horizontal = false } = {}) {
  return {
    type: 'bar',
    data: { labels, datasets: datasets.map((set, index) => ({ backgroundColor: palette[index % palette.length], ...set })) },
    options: {
      indexAxis: horizontal ? 'y' : 'x',
      scales: { x: { stacked, ticks: { autoSkip: false } }, y: { stacked, beginAtZero: true } },
      plugins: { legend: { position: 'bottom' } },
    },
  };
}

export function doughnutConfig(labels, values) {
  return {
    type: 'doughnut',
    data: { labels, datasets: [{ data: values, backgroundColor: labels.map((_, index) => palette[index % palette.length]) }] },
    options: { plugins: { legend: { position: 'bottom' } } },
  };
}

// The dashboard's only script, bundled by our build (assets.ts, esbuild) with uPlot: the coverage
// chart on the overview, sortable tables and as-you-type filtering of the contacts. The pages work
// without it (the chart's numbers are also in a table; filters are a GET form).
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import "./dashboard.css";

interface ChartWeek {
  week: string;
  start: number;
  coverage: number | null;
  met: number;
  total: number;
  planned: number;
  held: number;
}

declare global {
  interface Window {
    tioChart?: uPlot;
  }
}

function drawChart(): void {
  const el = document.getElementById("coverage-chart");
  const dataEl = document.getElementById("chart-data");
  if (!el || !dataEl?.textContent) return;
  const { weeks } = JSON.parse(dataEl.textContent) as { weeks: ChartWeek[] };
  const data: uPlot.AlignedData = [
    weeks.map((w) => w.start),
    weeks.map((w) => w.coverage),
    weeks.map((w) => w.planned),
    weeks.map((w) => w.held),
  ];
  // Planned and held side by side at each week: planned left of the tick, held right of it.
  const bars = (align: -1 | 1) =>
    uPlot.paths.bars ? { paths: uPlot.paths.bars({ size: [0.3, 24], align }) } : {};
  const halfWeek = 3.5 * 86_400;
  const width = () => Math.max(280, el.clientWidth);
  const opts: uPlot.Options = {
    width: width(),
    height: 260,
    scales: {
      x: { time: true, range: (_u, min, max) => [min - halfWeek, max + halfWeek] },
      pct: { range: [0, 100] },
      n: { range: (_u, _min, max) => [0, Math.max(4, max + 1)] },
    },
    axes: [
      {},
      { scale: "pct", values: (_u, vals) => vals.map((v) => `${v}%`), label: "Coverage" },
      { scale: "n", side: 1, grid: { show: false }, label: "Lunches" },
    ],
    series: [
      { label: "Week", value: (_u, v) => (v == null ? "" : weekOf(weeks, v)) },
      {
        label: "Coverage",
        scale: "pct",
        stroke: "#0b57d0",
        width: 2,
        value: (_u, v) => (v == null ? "n/a" : `${v}%`),
        spanGaps: false,
      },
      {
        label: "Lunches planned",
        scale: "n",
        stroke: "#8a5a00",
        fill: "rgba(138,90,0,0.25)",
        ...bars(-1),
      },
      {
        label: "Lunches held",
        scale: "n",
        stroke: "#1e7b34",
        fill: "rgba(30,123,52,0.35)",
        ...bars(1),
      },
    ],
  };
  const u = new uPlot(opts, data, el);
  window.tioChart = u;
  el.dataset.drawn = String(weeks.length);
  new ResizeObserver(() => u.setSize({ width: width(), height: 260 })).observe(el);
}

function weekOf(weeks: ChartWeek[], start: number): string {
  return weeks.find((w) => w.start === start)?.week ?? "";
}

function sortableTables(): void {
  for (const table of document.querySelectorAll<HTMLTableElement>("table.sortable")) {
    const headers = [...(table.tHead?.rows[0]?.cells ?? [])];
    headers.forEach((th, index) => {
      const button = th.querySelector("button.sort");
      if (!button) return;
      button.addEventListener("click", () => {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        for (const other of headers)
          if (other.hasAttribute("aria-sort")) other.setAttribute("aria-sort", "none");
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const numeric = th.dataset.sort === "number";
        const body = table.tBodies[0];
        if (!body) return;
        const key = (row: HTMLTableRowElement) => {
          const cell = row.cells[index];
          return numeric
            ? Number(cell?.dataset.value ?? cell?.textContent ?? 0)
            : (cell?.textContent ?? "").trim().toLowerCase();
        };
        const rows = [...body.rows].sort((a, b) => {
          const x = key(a);
          const y = key(b);
          const c = x < y ? -1 : x > y ? 1 : 0;
          return ascending ? c : -c;
        });
        body.append(...rows);
      });
    });
  }
}

function filterAsYouType(): void {
  const input = document.querySelector<HTMLInputElement>("#q");
  const table = document.querySelector<HTMLTableElement>("#contacts-table");
  if (!input || !table) return;
  input.addEventListener("input", () => {
    const q = input.value.trim().toLowerCase();
    for (const row of table.tBodies[0]?.rows ?? []) {
      const name = row.cells[1]?.textContent?.toLowerCase() ?? "";
      row.hidden = q !== "" && !name.includes(q);
    }
  });
}

function start(): void {
  drawChart();
  sortableTables();
  filterAsYouType();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();

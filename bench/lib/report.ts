import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, freemem, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { type Summary, summarize } from "./stats.ts";

// What a bench run produces: one JSON document (timestamped, plus latest.json) and a Markdown table.

export interface Target {
  /** "≥ 20,000 msg/s" */
  text: string;
  met: boolean;
}

export interface Metric {
  /** "messages/s", "peak RSS", "p99 ack latency"… */
  name: string;
  unit: string;
  summary: Summary;
  samples: number[];
  /** Digits shown in the table. */
  digits?: number;
  target?: Target;
}

export interface BenchRow {
  benchmark: string;
  /** sqlite | postgresql | bare Bolt | – */
  subject: string;
  params: Record<string, unknown>;
  metrics: Metric[];
  notes?: string[];
  error?: string;
}

export function metric(
  name: string,
  unit: string,
  samples: number[],
  o: { digits?: number; atLeast?: number; below?: number; targetText?: string } = {},
): Metric {
  const summary = summarize(samples);
  const m: Metric = { name, unit, summary, samples, ...(o.digits !== undefined ? { digits: o.digits } : {}) };
  if (o.atLeast !== undefined)
    m.target = {
      text: o.targetText ?? `≥ ${fmt(o.atLeast)}${unitSuffix(unit)}`,
      met: summary.median >= o.atLeast,
    };
  if (o.below !== undefined)
    m.target = {
      text: o.targetText ?? `< ${fmt(o.below)}${unitSuffix(unit)}`,
      met: summary.median < o.below,
    };
  return m;
}

function num(v: number, digits: number): string {
  return Number.isFinite(v)
    ? v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : "–";
}

function fmt(v: number): string {
  return v.toLocaleString("en-US", { maximumFractionDigits: 2 });
}

function unitSuffix(unit: string): string {
  return unit === "×" || unit === "%" ? unit : ` ${unit}`;
}

export interface Environment {
  startedAt: string;
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  freeMemoryGb: number;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
  gitCommit: string | null;
  gitDirty: boolean | null;
  postgres: string | null;
}

export function environment(postgres: string | null): Environment {
  const git = (args: string[]) => {
    try {
      return execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
      return null;
    }
  };
  const status = git(["status", "--porcelain"]);
  return {
    startedAt: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGb: Math.round((freemem() / 2 ** 30) * 10) / 10,
    loadAverageAtStart: loadavg().map((v) => Math.round(v * 100) / 100),
    gitCommit: git(["rev-parse", "--short", "HEAD"]),
    gitDirty: status === null ? null : status.length > 0,
    postgres,
  };
}

export interface BenchReport {
  mode: "quick" | "full";
  environment: Environment;
  durationSeconds: number;
  rows: BenchRow[];
}

export function markdownTable(report: BenchReport): string {
  const lines = [
    "| Benchmark | Subject | Metric | Median | Spread (min–max) | Runs | Target | Met |",
    "|---|---|---|---:|---:|---:|---|:-:|",
  ];
  for (const row of report.rows) {
    if (row.error) {
      lines.push(`| ${row.benchmark} | ${row.subject} | error | – | – | – | – | ✗ |`);
      continue;
    }
    for (const m of row.metrics) {
      const d = m.digits ?? 0;
      const s = m.summary;
      const median = num(s.median, d);
      const spread = s.n > 1 ? `${num(s.min, d)}–${num(s.max, d)}` : "–";
      const target = m.target ? m.target.text : "";
      const met = m.target ? (m.target.met ? "✓" : "✗") : "";
      lines.push(
        `| ${row.benchmark} | ${row.subject} | ${m.name} (${m.unit}) | ${median} | ${spread} | ${s.n} | ${target} | ${met} |`,
      );
    }
  }
  const notes = report.rows.flatMap((r) => [
    ...(r.notes ?? []).map((n) => `- ${r.benchmark} / ${r.subject}: ${n}`),
    ...(r.error ? [`- ${r.benchmark} / ${r.subject} FAILED: ${r.error.split("\n")[0]}`] : []),
  ]);
  const env = report.environment;
  return [
    `## Benchmarks (${report.mode}) — ${env.startedAt}`,
    "",
    `Node ${env.node}, ${env.cpus} × ${env.cpuModel}, ${env.memoryGb} GB, ${env.postgres ?? "PostgreSQL unavailable"}; ` +
      `load average ${env.loadAverageAtStart.join(" / ")} at start, ${(env.loadAverageAtEnd ?? []).join(" / ")} at end; ` +
      `git ${env.gitCommit ?? "?"}${env.gitDirty ? " (uncommitted changes)" : ""}; took ${Math.round(report.durationSeconds)} s.`,
    "",
    ...lines,
    ...(notes.length ? ["", ...notes] : []),
    ...(report.mode === "quick"
      ? ["", "Quick mode: reduced sizes; the targets are defined for the full sizes."]
      : []),
  ].join("\n");
}

export function writeReport(dir: string, report: BenchReport): { file: string; latest: string } {
  mkdirSync(dir, { recursive: true });
  const stamp = report.environment.startedAt.replace(/[:.]/g, "-");
  const file = join(dir, `bench-${report.mode}-${stamp}.json`);
  const latest = join(dir, "latest.json");
  const json = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(file, json);
  writeFileSync(latest, json);
  return { file, latest };
}

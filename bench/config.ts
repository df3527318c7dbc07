// Sizes and repetitions of every benchmark, full and quick. The targets are defined for "full".

export interface BenchConfig {
  mode: "quick" | "full";
  detection: { messages: number; runs: number };
  import: {
    messages: number;
    runs: number;
    /** Same-run comparison with the importer as it was before batching, on a smaller export. */
    compare: { messages: number; runs: number };
  };
  digest: { members: number; contacts: number; mentions: number; calls: number };
  /** Workspaces whose digests fall due at once, and which fan-outs to run (the queue, and inline for comparison). */
  fanout: { workspaces: number; modes: Array<"pg-boss" | "inline">; timeoutSeconds: number };
  /** Fresh processes per command and way of running (compiled, from source). */
  startup: { runs: number };
  ingestion: {
    /**
     * Events before the measured runs: connections, JIT, the detection worker, and on a fresh
     * database the first sightings of the sample's people. Their rate is reported as the cold start.
     */
    warmup: number;
    /** Events per throughput run (max offered load). */
    events: number;
    runs: number;
    /** Connections the driver keeps open in the throughput runs. */
    connections: number;
    /** Fixed offered rate for the latency runs, and how long each lasts. */
    rate: number;
    rateSeconds: number;
    rateRuns: number;
  };
}

/** The sample company scaled up: more people, more channels, a year of history. */
export const BIG_COMPANY = { members: 300, externalPeople: 120, channels: 40, days: 365 } as const;

export const FULL: BenchConfig = {
  mode: "full",
  detection: { messages: 20_000, runs: 5 },
  import: { messages: 1_000_000, runs: 3, compare: { messages: 5_000, runs: 3 } },
  digest: { members: 5_000, contacts: 20_000, mentions: 2_000_000, calls: 5 },
  fanout: { workspaces: 2_000, modes: ["pg-boss"], timeoutSeconds: 720 },
  startup: { runs: 10 },
  ingestion: {
    warmup: 20_000,
    events: 20_000,
    runs: 3,
    connections: 32,
    rate: 200,
    rateSeconds: 15,
    rateRuns: 3,
  },
};

export const QUICK: BenchConfig = {
  mode: "quick",
  detection: { messages: 5_000, runs: 3 },
  import: { messages: 5_000, runs: 2, compare: { messages: 1_000, runs: 2 } },
  digest: { members: 500, contacts: 2_000, mentions: 100_000, calls: 3 },
  fanout: { workspaces: 200, modes: ["pg-boss"], timeoutSeconds: 300 },
  startup: { runs: 3 },
  ingestion: { warmup: 150, events: 600, runs: 2, connections: 16, rate: 200, rateSeconds: 3, rateRuns: 2 },
};

/** The targets of the issue, in one place (README "Performance" repeats them). */
export const TARGETS = {
  /** Issue 19: ingestion ≥ 0.75× bare Bolt in the same run (it was 0.5). */
  ingestionVsBolt: 0.75,
  ingestionP99Ms: 50,
  /** Peak RSS of our server over the whole ingestion benchmark (issue 19). */
  servePeakRssMb: 256,
  detectionPerSecond: 20_000,
  importPerSecond: 20_000,
  importPeakRssMb: 512,
  digestPgSeconds: 1,
  digestSqliteSeconds: 2,
  dashboardPgSeconds: 0.5,
  helpSeconds: 0.3,
  detectReadySeconds: 0.5,
  serveReadySeconds: 1.5,
} as const;

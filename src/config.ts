import { z } from "zod";

// The one description of the environment. Everything the process reads from env goes through
// loadConfig(), so a typo or a missing secret fails at start-up with a message naming the variable.

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const httpUrl = optionalString.refine((v) => v === undefined || /^https?:\/\/\S+$/.test(v), {
  message: "must be an http(s) URL",
});

const envSchema = z
  .object({
    DATABASE_URL: z
      .string()
      .trim()
      .default("file:./data/take-it-offline.db")
      .refine((v) => /^(file:|postgres(ql)?:\/\/)/.test(v), {
        message: "must start with file: (SQLite) or postgres:// / postgresql:// (PostgreSQL)",
      }),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().trim().default("0.0.0.0"),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_BOT_TOKEN: optionalString.refine((v) => v === undefined || v.startsWith("xoxb-"), {
      message: "must be a bot token starting with xoxb-",
    }),
    SLACK_APP_TOKEN: optionalString.refine((v) => v === undefined || v.startsWith("xapp-"), {
      message: "must be an app-level token starting with xapp-",
    }),
    SLACK_CLIENT_ID: optionalString,
    SLACK_CLIENT_SECRET: optionalString,
    SLACK_STATE_SECRET: optionalString,
    SLACK_API_URL: optionalString.refine((v) => v === undefined || /^https?:\/\/.+\/$/.test(v), {
      message: "must be an http(s) URL ending in / (e.g. https://slack.com/api/)",
    }),
    MICROSOFT_APP_ID: optionalString,
    MICROSOFT_APP_PASSWORD: optionalString,
    MICROSOFT_APP_TYPE: z.enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"]).default("MultiTenant"),
    MICROSOFT_APP_TENANT_ID: optionalString,
    /** Teams without MICROSOFT_APP_ID: accept unauthenticated Bot Framework requests (local dev and tests only). */
    TEAMS_ALLOW_UNAUTHENTICATED: z
      .enum(["true", "false", "1", "0", ""])
      .default("")
      .transform((v) => v === "true" || v === "1"),
    /** Teams users (AAD object ids or 29: user ids, comma-separated) who may change settings, besides whoever installed the bot. */
    TEAMS_ADMIN_IDS: z
      .string()
      .default("")
      .transform((v) =>
        v
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    TOKEN_ENCRYPTION_KEY: optionalString.refine((v) => v === undefined || isValidKey(v), {
      message: "must be 32 bytes as 64 hex characters or base64 (generate one: openssl rand -hex 32)",
    }),
    /** The server's external base URL (https://bot.example.com): OAuth redirects come back to it. */
    PUBLIC_URL: optionalString.refine(
      (v) => v === undefined || /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(v),
      {
        message: "must be an http(s) base URL like https://bot.example.com",
      },
    ),
    /** Google Calendar (people connect their own calendar): an OAuth web client. */
    GOOGLE_CLIENT_ID: optionalString,
    GOOGLE_CLIENT_SECRET: optionalString,
    /** Base URL of Google's OAuth endpoints (/o/oauth2/v2/auth, /token, /revoke), for local fakes. */
    GOOGLE_OAUTH_URL: httpUrl,
    /** Base URL of Google's APIs (default https://www.googleapis.com/), for local fakes. */
    GOOGLE_API_URL: httpUrl,
    /** Microsoft calendars (Outlook): an Entra app; default the bot's own (MICROSOFT_APP_ID/PASSWORD). */
    MICROSOFT_GRAPH_CLIENT_ID: optionalString,
    MICROSOFT_GRAPH_CLIENT_SECRET: optionalString,
    /** Entra sign-in base URL (default https://login.microsoftonline.com), for local fakes. */
    MICROSOFT_LOGIN_URL: httpUrl,
    /** Microsoft Graph base URL (default https://graph.microsoft.com), for local fakes. */
    MICROSOFT_GRAPH_URL: httpUrl,
    /** Signs dashboard session cookies (at least 32 characters); default: derived from TOKEN_ENCRYPTION_KEY. */
    SESSION_SECRET: optionalString.refine((v) => v === undefined || v.length >= 32, {
      message: "must be at least 32 characters (generate one: openssl rand -hex 32)",
    }),
    /** Slack's OpenID Connect host (authorize page and openid.connect.* methods); for local fakes. */
    SLACK_OIDC_URL: optionalString.refine((v) => v === undefined || /^https?:\/\/[^/?#]+$/.test(v), {
      message: "must be an http(s) origin like https://slack.com",
    }),
    /** Opaque id of this process among replicas; logs and the job coordinator use it. */
    INSTANCE_ID: optionalString,
    /**
     * Where scheduled per-workspace work (digests, nudge sweeps) runs: "auto" is pg-boss on
     * PostgreSQL (every replica works the queue) and an in-process queue on SQLite; "inline" runs it
     * all in the replica that claimed the slot, one workspace after another.
     */
    JOB_QUEUE: z.enum(["auto", "pg-boss", "memory", "inline"]).default("auto"),
    /** Queued jobs one process runs at once, per queue. */
    JOB_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4),
    /** PostgreSQL connections pg-boss keeps per process (apart from the app's own pool). */
    JOB_QUEUE_POOL: z.coerce.number().int().min(1).max(100).default(4),
    /**
     * Live messages' detection in a worker thread once traffic grows (workers/detect-offload.ts).
     * Off by default: the thread and its copy of the name model cost ~150 MB of memory, and on two
     * cores it bought no throughput in the ingestion benchmark (bench/README.md, 2026-12-06).
     */
    DETECTION_WORKER: z
      .enum(["true", "false", "1", "0", ""])
      .default("")
      .transform((v) => v === "true" || v === "1"),
  })
  .superRefine((env, ctx) => {
    const oauth = [env.SLACK_CLIENT_ID, env.SLACK_CLIENT_SECRET, env.SLACK_STATE_SECRET];
    // With a bot token (one workspace), the client id and secret alone are for dashboard sign-in.
    const signInOnly = env.SLACK_BOT_TOKEN && !env.SLACK_STATE_SECRET;
    if (oauth.some(Boolean) && !oauth.every(Boolean) && !signInOnly) {
      ctx.addIssue({
        code: "custom",
        path: ["SLACK_CLIENT_ID"],
        message: "OAuth needs all of SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET",
      });
    }
    if (env.JOB_QUEUE === "pg-boss" && !/^postgres(ql)?:\/\//.test(env.DATABASE_URL)) {
      ctx.addIssue({
        code: "custom",
        path: ["JOB_QUEUE"],
        message: "pg-boss needs a PostgreSQL DATABASE_URL",
      });
    }
    if (env.SLACK_CLIENT_ID && env.SLACK_STATE_SECRET && !env.TOKEN_ENCRYPTION_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["TOKEN_ENCRYPTION_KEY"],
        message: "is required with Slack OAuth: installation tokens are encrypted at rest",
      });
    }
    if (Boolean(env.GOOGLE_CLIENT_ID) !== Boolean(env.GOOGLE_CLIENT_SECRET)) {
      ctx.addIssue({
        code: "custom",
        path: ["GOOGLE_CLIENT_ID"],
        message: "Google calendars need both GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET",
      });
    }
    if (Boolean(env.MICROSOFT_GRAPH_CLIENT_ID) !== Boolean(env.MICROSOFT_GRAPH_CLIENT_SECRET)) {
      ctx.addIssue({
        code: "custom",
        path: ["MICROSOFT_GRAPH_CLIENT_ID"],
        message: "needs MICROSOFT_GRAPH_CLIENT_SECRET too (or set neither to use the bot's own app)",
      });
    }
    if (env.MICROSOFT_APP_ID && !env.MICROSOFT_APP_PASSWORD && env.MICROSOFT_APP_TYPE !== "UserAssignedMSI") {
      ctx.addIssue({
        code: "custom",
        path: ["MICROSOFT_APP_PASSWORD"],
        message: "is required with MICROSOFT_APP_ID",
      });
    }
    if (env.MICROSOFT_APP_TYPE === "SingleTenant" && env.MICROSOFT_APP_ID && !env.MICROSOFT_APP_TENANT_ID) {
      ctx.addIssue({
        code: "custom",
        path: ["MICROSOFT_APP_TENANT_ID"],
        message: "is required when MICROSOFT_APP_TYPE is SingleTenant",
      });
    }
  });

export type Config = z.infer<typeof envSchema>;

function isValidKey(value: string): boolean {
  return decodeKey(value) !== null;
}

/** A 32-byte AES key from 64 hex characters or base64; null when it is neither. */
export function decodeKey(value: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, "hex");
  const b = Buffer.from(value, "base64");
  return b.length === 32 ? b : null;
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join("\n")}\nSee .env.example.`);
    this.name = "ConfigError";
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join(".") || "environment"} ${i.message}`),
    );
  }
  return parsed.data;
}

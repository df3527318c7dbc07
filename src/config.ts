import { z } from "zod";

// The one description of the environment. Everything the process reads from env goes through
// loadConfig(), so a typo or a missing secret fails at start-up with a message naming the variable.

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

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
    /** Opaque id of this process among replicas; logs and the job coordinator use it. */
    INSTANCE_ID: optionalString,
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
    if (oauth.some(Boolean) && !oauth.every(Boolean)) {
      ctx.addIssue({
        code: "custom",
        path: ["SLACK_CLIENT_ID"],
        message: "OAuth needs all of SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET",
      });
    }
    if (env.SLACK_CLIENT_ID && !env.TOKEN_ENCRYPTION_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["TOKEN_ENCRYPTION_KEY"],
        message: "is required with Slack OAuth: installation tokens are encrypted at rest",
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

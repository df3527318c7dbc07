import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { TokenCipher } from "../../src/store/crypto.ts";

describe("configuration", () => {
  it("has working defaults for the embedded database", () => {
    const c = loadConfig({});
    expect(c.DATABASE_URL).toBe("file:./data/take-it-offline.db");
    expect(c.PORT).toBe(3000);
    expect(c.SLACK_BOT_TOKEN).toBeUndefined();
    expect(c).toMatchObject({ JOB_QUEUE: "auto", JOB_CONCURRENCY: 4, JOB_QUEUE_POOL: 4 });
  });

  it("treats empty values as unset", () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: "", PORT: "8080" })).toMatchObject({
      SLACK_BOT_TOKEN: undefined,
      PORT: 8080,
    });
  });

  it("keeps live detection on the main thread unless DETECTION_WORKER asks for the worker", () => {
    expect(loadConfig({}).DETECTION_WORKER).toBe(false);
    expect(loadConfig({ DETECTION_WORKER: "false" }).DETECTION_WORKER).toBe(false);
    expect(loadConfig({ DETECTION_WORKER: "true" }).DETECTION_WORKER).toBe(true);
    expect(loadConfig({ DETECTION_WORKER: "1" }).DETECTION_WORKER).toBe(true);
  });

  it.each([
    [{ DETECTION_WORKER: "yes" }, /DETECTION_WORKER/],
    [{ DATABASE_URL: "mysql://x" }, /DATABASE_URL must start with file:/],
    [{ PORT: "eighty" }, /PORT/],
    [{ SLACK_BOT_TOKEN: "xoxp-123" }, /SLACK_BOT_TOKEN must be a bot token/],
    [{ SLACK_CLIENT_ID: "1" }, /OAuth needs all of SLACK_CLIENT_ID/],
    [
      { SLACK_CLIENT_ID: "1", SLACK_CLIENT_SECRET: "2", SLACK_STATE_SECRET: "3" },
      /TOKEN_ENCRYPTION_KEY is required/,
    ],
    [{ TOKEN_ENCRYPTION_KEY: "short" }, /TOKEN_ENCRYPTION_KEY must be 32 bytes/],
    [{ MICROSOFT_APP_ID: "abc" }, /MICROSOFT_APP_PASSWORD is required/],
    [{ LOG_LEVEL: "loud" }, /LOG_LEVEL/],
    [{ JOB_QUEUE: "pg-boss" }, /JOB_QUEUE pg-boss needs a PostgreSQL DATABASE_URL/],
    [{ JOB_QUEUE: "redis" }, /JOB_QUEUE/],
    [{ JOB_CONCURRENCY: "0" }, /JOB_CONCURRENCY/],
  ])("rejects %o with a message naming the variable", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe("token encryption", () => {
  const key = Buffer.alloc(32, 7);
  it("round-trips and never shows the plaintext", () => {
    const cipher = new TokenCipher(key);
    const sealed = cipher.encrypt("xoxb-secret-token");
    expect(sealed).not.toContain("xoxb");
    expect(sealed).not.toBe(cipher.encrypt("xoxb-secret-token")); // random IV
    expect(cipher.decrypt(sealed)).toBe("xoxb-secret-token");
  });

  it("rejects tampering and the wrong key", () => {
    const sealed = new TokenCipher(key).encrypt("xoxb-1");
    const parts = sealed.split(".");
    parts[3] = Buffer.from("tampered").toString("base64url");
    expect(() => new TokenCipher(key).decrypt(parts.join("."))).toThrow();
    expect(() => new TokenCipher(Buffer.alloc(32, 8)).decrypt(sealed)).toThrow();
    expect(() => new TokenCipher(key).decrypt("plain")).toThrow(/Not an encrypted token/);
  });
});

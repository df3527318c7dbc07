import { describe, expect, it } from "vitest";
import { IMPORT_MAX_OLD_SPACE_MB, importHeapFlag } from "../../src/cli.ts";

describe("import heap cap", () => {
  it("adds a heap cap unless the caller chose one", () => {
    expect(importHeapFlag([], undefined)).toBe(`--max-old-space-size=${IMPORT_MAX_OLD_SPACE_MB}`);
    expect(importHeapFlag(["--import", "tsx"], "--enable-source-maps")).toBe(
      `--max-old-space-size=${IMPORT_MAX_OLD_SPACE_MB}`,
    );
    expect(importHeapFlag(["--max-old-space-size=4096"], undefined)).toBeNull();
    expect(importHeapFlag([], "--enable-source-maps --max-old-space-size=1024")).toBeNull();
  });
});

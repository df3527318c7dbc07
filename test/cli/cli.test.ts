import { describe, expect, it } from "vitest";
import { nodeFlagUnlessSet } from "../../src/cli.ts";

describe("Node flags a command adds (the import's heap cap, the server's young generation)", () => {
  it("adds the flag unless the caller chose that size", () => {
    const heap = (argv: string[], opts?: string) =>
      nodeFlagUnlessSet("--max-old-space-size", 384, argv, opts);
    expect(heap([], undefined)).toBe("--max-old-space-size=384");
    expect(heap(["--import", "tsx"], "--enable-source-maps")).toBe("--max-old-space-size=384");
    expect(heap(["--max-old-space-size=4096"], undefined)).toBeNull();
    expect(heap([], "--enable-source-maps --max-old-space-size=1024")).toBeNull();
    // Another size is not this one.
    expect(nodeFlagUnlessSet("--max-semi-space-size", 32, ["--max-old-space-size=4096"], "")).toBe(
      "--max-semi-space-size=32",
    );
  });
});

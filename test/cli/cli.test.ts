import { describe, expect, it } from "vitest";
import {
  envUnlessSet,
  nodeFlagsUnlessSet,
  nodeFlagUnlessSet,
  SERVE_ENV,
  SERVE_NODE_FLAGS,
} from "../../src/node-options.ts";

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

describe("how serve runs itself (heap cap, malloc arenas)", () => {
  it("adds only the flags and variables the caller didn't set", () => {
    const flags = ["--max-old-space-size=160", "--max-semi-space-size=16"];
    expect(nodeFlagsUnlessSet(flags, [], undefined)).toEqual(flags);
    expect(nodeFlagsUnlessSet(flags, ["--max-old-space-size=512"], undefined)).toEqual([
      "--max-semi-space-size=16",
    ]);
    expect(nodeFlagsUnlessSet(flags, [], "--max-semi-space-size=64 --max-old-space-size=1024")).toEqual([]);
    expect(envUnlessSet({ MALLOC_ARENA_MAX: "2" }, {})).toEqual({ MALLOC_ARENA_MAX: "2" });
    // An operator's own choice, even an empty one, wins.
    expect(envUnlessSet({ MALLOC_ARENA_MAX: "2" }, { MALLOC_ARENA_MAX: "8" })).toEqual({});
    expect(envUnlessSet({ MALLOC_ARENA_MAX: "2" }, { MALLOC_ARENA_MAX: "" })).toEqual({});
  });

  it("caps the heap and the malloc arenas by default", () => {
    expect(SERVE_NODE_FLAGS.some((f) => f.startsWith("--max-old-space-size="))).toBe(true);
    expect(SERVE_ENV.MALLOC_ARENA_MAX).toBe("2");
  });
});

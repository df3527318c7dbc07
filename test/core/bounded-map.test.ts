import { describe, expect, it } from "vitest";
import { BoundedMap } from "../../src/core/bounded-map.ts";

describe("BoundedMap", () => {
  it("keeps at most max entries, dropping the least recently used", () => {
    const m = new BoundedMap<string, number>(3);
    m.set("a", 1);
    m.set("b", 2);
    m.set("c", 3);
    // Reading "a" makes "b" the least recently used.
    expect(m.get("a")).toBe(1);
    m.set("d", 4);
    expect(m.size).toBe(3);
    expect(m.get("b")).toBeUndefined();
    expect([...m.keys()]).toEqual(["c", "a", "d"]);
  });

  it("replacing a key neither grows the map nor evicts another", () => {
    const m = new BoundedMap<string, number>(2);
    m.set("a", 1);
    m.set("b", 2);
    m.set("a", 10);
    expect(m.size).toBe(2);
    expect(m.get("a")).toBe(10);
    expect(m.get("b")).toBe(2);
    m.delete("a");
    expect(m.get("a")).toBeUndefined();
    m.clear();
    expect(m.size).toBe(0);
  });
});

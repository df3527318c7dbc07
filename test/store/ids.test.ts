import { describe, expect, it } from "vitest";
import { timeOrderedId } from "../../src/store/ids.ts";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** The 48-bit Unix time in milliseconds an id starts with. */
const timeOf = (id: string) => Number.parseInt(id.replaceAll("-", "").slice(0, 12), 16);

describe("timeOrderedId", () => {
  it("is a UUIDv7 carrying the time it was made", () => {
    const at = Date.UTC(2026, 10, 27, 9, 30);
    const id = timeOrderedId(at + 60_000);
    expect(id).toMatch(UUID_V7);
    expect(timeOf(id)).toBe(at + 60_000);
  });

  it("keeps increasing within one millisecond, past the 4,096 its counter holds", () => {
    const at = Date.UTC(2026, 10, 27, 10);
    const ids = Array.from({ length: 10_000 }, () => timeOrderedId(at));
    expect(ids.every((id) => UUID_V7.test(id))).toBe(true);
    for (let i = 1; i < ids.length; i++) expect((ids[i] as string) > (ids[i - 1] as string)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    // The counter overflowed twice: the time was carried forward, never back.
    expect(timeOf(ids[0] as string)).toBe(at);
    expect(timeOf(ids.at(-1) as string)).toBe(at + 2);
  });

  it("keeps increasing when the clock steps back", () => {
    const at = Date.UTC(2026, 10, 27, 11);
    const before = timeOrderedId(at);
    const after = timeOrderedId(at - 5_000);
    expect(after > before).toBe(true);
    expect(timeOf(after)).toBe(at);
  });
});

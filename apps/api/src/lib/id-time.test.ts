import { describe, expect, it } from "vitest";
import { idRangeForTimes, uuidv7Floor, uuidv7Time } from "./id-time.ts";
import { newId } from "./ids.ts";

describe("UUIDv7 time bounds", () => {
  it("reads back the millisecond an id was made at", () => {
    const before = Date.now();
    const id = newId();
    const after = Date.now();
    expect(uuidv7Time(id)).toBeGreaterThanOrEqual(before);
    expect(uuidv7Time(id)).toBeLessThanOrEqual(after);
    expect(uuidv7Time(uuidv7Floor(1_700_000_000_123))).toBe(1_700_000_000_123);
  });

  it("puts the floor of a millisecond below its ids and above earlier ones", () => {
    const ms = Date.now();
    const floor = uuidv7Floor(ms);
    expect(floor).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7000-8000-000000000000$/);
    const id = newId();
    expect(id >= floor).toBe(true);
    expect(uuidv7Floor(ms - 1) < floor).toBe(true);
    // Even the largest id of the previous millisecond sorts below.
    const largestBefore = `${uuidv7Floor(ms - 1).slice(0, 14)}7fff-bfff-ffffffffffff`;
    expect(largestBefore < floor).toBe(true);
    expect(uuidv7Floor(-5)).toBe("00000000-0000-7000-8000-000000000000");
  });

  it("turns a time range into an id range widened by the slack", () => {
    const after = new Date("2026-11-30T10:00:00.000Z");
    const before = new Date("2026-11-30T11:00:00.000Z");
    const range = idRangeForTimes({ after, before }, 1000);
    expect(uuidv7Time(range.from as string)).toBe(after.getTime() - 1000);
    // `before` is exclusive for created_at; its whole millisecond plus the slack is kept.
    expect(uuidv7Time(range.below as string)).toBe(before.getTime() + 1001);
    expect(idRangeForTimes({}, 1000)).toEqual({});
    expect(idRangeForTimes({ before }, 0)).toEqual({ below: uuidv7Floor(before.getTime() + 1) });
  });
});

import { describe, expect, it } from "vitest";
import { idAt } from "../../test/reputation-events.ts";
import { uuidv7Floor } from "./horizon.ts";
import { breach, judgedCounts, rates, windowStartDay } from "./rates.ts";

const settings = { minSent: 500, bounceRateThreshold: 0.04, complaintRateThreshold: 0.003 };

describe("breach", () => {
  it("pauses past the bounce threshold, saying the rate, the counts and the threshold", () => {
    expect(breach({ sent: 1000, bounced: 52, complained: 0 }, settings, "in the last 7 days")).toBe(
      "bounce rate 5.2% (52 bounced of 1000 sent in the last 7 days) is above the 4% threshold",
    );
  });

  it("pauses past the complaint threshold, and names both rates when both are past", () => {
    expect(breach({ sent: 1000, bounced: 0, complained: 4 }, settings, "p")).toMatch(
      /^complaint rate 0.4% \(4 complaints of 1000 sent p\) is above the 0.3% threshold$/,
    );
    const both = breach({ sent: 1000, bounced: 100, complained: 10 }, settings, "p");
    expect(both).toContain("bounce rate 10%");
    expect(both).toContain("; complaint rate 1%");
  });

  it("does not pause at the threshold itself, nor below the minimum volume", () => {
    expect(breach({ sent: 1000, bounced: 40, complained: 3 }, settings, "p")).toBeNull();
    expect(breach({ sent: 10, bounced: 2, complained: 0 }, settings, "p")).toBeNull();
    expect(breach({ sent: 499, bounced: 499, complained: 499 }, settings, "p")).toBeNull();
  });

  it("answers rates of 0 while nothing was sent", () => {
    expect(rates({ sent: 0, bounced: 3, complained: 1 })).toEqual({
      bounceRate: 0,
      complaintRate: 0,
    });
  });
});

describe("judgedCounts", () => {
  const days = [
    { day: "2026-11-20", sent: 1000, bounced: 500, complained: 0 },
    { day: "2026-11-24", sent: 300, bounced: 30, complained: 1 },
    { day: "2026-11-25", sent: 200, bounced: 20, complained: 2 },
  ];

  it("sums the window's days only", () => {
    expect(judgedCounts(days, "2026-11-21", undefined).counts).toEqual({
      sent: 500,
      bounced: 50,
      complained: 3,
    });
    expect(judgedCounts(days, "2026-11-21", undefined).since.toISOString()).toBe(
      "2026-11-21T00:00:00.000Z",
    );
  });

  it("after a resume, counts only what came after it", () => {
    const resume = {
      at: new Date("2026-11-24T15:00:00Z"),
      day: "2026-11-24",
      sent: 250,
      bounced: 29,
      complained: 1,
    };
    const judged = judgedCounts(days, "2026-11-19", resume);
    expect(judged.counts).toEqual({ sent: 250, bounced: 21, complained: 2 });
    expect(judged.since).toEqual(resume.at);
  });

  it("forgets a resume older than the window", () => {
    const resume = {
      at: new Date("2026-11-10T09:00:00Z"),
      day: "2026-11-10",
      sent: 9,
      bounced: 9,
      complained: 9,
    };
    expect(judgedCounts(days, "2026-11-19", resume).counts.sent).toBe(1500);
  });
});

describe("time", () => {
  it("starts the window windowDays - 1 days before today (UTC)", () => {
    expect(windowStartDay(new Date("2026-11-25T23:59:00Z"), 7)).toBe("2026-11-19");
    expect(windowStartDay(new Date("2026-11-25T00:00:00Z"), 1)).toBe("2026-11-25");
  });

  it("puts every id of an earlier millisecond below the floor, and every later one above", () => {
    const ms = Date.UTC(2026, 10, 25, 12);
    const floor = uuidv7Floor(ms);
    for (let i = 0; i < 200; i++) {
      expect(idAt(ms - 1) < floor).toBe(true);
      expect(idAt(ms) >= floor).toBe(true);
    }
  });
});

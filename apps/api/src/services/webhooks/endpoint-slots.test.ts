import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { EndpointSlots } from "./endpoint-slots.ts";

describe("EndpointSlots", () => {
  it("allows `limit` claims of an endpoint not in use, and three times as many while it is fast", () => {
    const slots = new EndpointSlots(2);
    expect(slots.claimAllowances()).toEqual({});
    slots.claimed("a");
    expect(slots.claimAllowances()).toEqual({ a: 5 });
    slots.unclaim("a");
    expect(slots.claimAllowances()).toEqual({});
  });

  it("lets `limit` requests go at once and hands a freed slot to the first waiting job", async () => {
    const slots = new EndpointSlots(2);
    const soon = performance.now() + 1000;
    expect(await slots.startSend("a", soon)).toBe(true);
    expect(await slots.startSend("a", soon)).toBe(true);
    const order: string[] = [];
    const third = slots.startSend("a", soon).then((ok) => order.push(`third ${ok}`));
    const fourth = slots.startSend("a", soon).then((ok) => order.push(`fourth ${ok}`));
    // Another endpoint is not held up.
    expect(await slots.startSend("b", soon)).toBe(true);
    slots.finishSend("a", 5);
    await third;
    expect(order).toEqual(["third true"]);
    slots.finishSend("a", 5);
    await fourth;
    expect(order).toEqual(["third true", "fourth true"]);
  });

  it("gives up waiting at the deadline", async () => {
    const slots = new EndpointSlots(1);
    expect(await slots.startSend("a", performance.now() + 1000)).toBe(true);
    const started = performance.now();
    expect(await slots.startSend("a", performance.now() + 50)).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    // The slot it gave up on goes to nobody: the next request may go once it is freed.
    slots.finishSend("a", 5);
    expect(await slots.startSend("a", performance.now())).toBe(true);
  });

  it("stops allowing extra claims when the endpoint's requests stop finishing", async () => {
    const slots = new EndpointSlots(2);
    slots.claimed("slow");
    slots.claimed("slow");
    await slots.startSend("slow", performance.now());
    await slots.startSend("slow", performance.now());
    expect(slots.claimAllowances()).toEqual({ slow: 4 });
    await sleep(120);
    // Both requests running for over 100 ms: only the free slots may be claimed, none.
    expect(slots.claimAllowances()).toEqual({ slow: 0 });
  });

  it("spaces jobs put back at the endpoint's rate", () => {
    const slots = new EndpointSlots(10);
    slots.claimed("a");
    for (let i = 0; i < 20; i++) {
      slots.finishSend("a", 50);
    }
    // About 50 ms a request, 10 at once: one job every 5 ms, the 20 ms minimum first.
    const delays = Array.from({ length: 40 }, () => slots.putBackDelay("a"));
    expect(delays[0]).toBe(20);
    expect(delays[39]).toBeGreaterThan(150);
    expect(delays[39]).toBeLessThan(250);
    for (let i = 1; i < delays.length; i++) {
      expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1] as number);
    }
  });

  it("refuses a limit under 1", () => {
    expect(() => new EndpointSlots(0)).toThrow();
  });
});

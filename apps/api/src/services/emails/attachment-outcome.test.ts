import { describe, expect, it } from "vitest";
import { SafeFetchError } from "../../lib/safe-fetch-error.ts";
import { attachmentFailureOutcome } from "./attachment-outcome.ts";
import type { ClaimedEmail } from "./claim.ts";
import { type AttachmentFetchFailure, isTemporaryFetchFailure } from "./fetch-attachments.ts";

describe("isTemporaryFetchFailure", () => {
  const status = (code: number) => new SafeFetchError("http_status", { status: code });
  it.each([
    ["a timeout", new SafeFetchError("timeout"), true],
    ["a refused connection", new SafeFetchError("connection_failed"), true],
    ["500", status(500), true],
    ["503", status(503), true],
    ["408", status(408), true],
    ["429", status(429), true],
    ["404", status(404), false],
    ["403", status(403), false],
    ["410", status(410), false],
    ["a 3xx without Location", status(302), false],
    ["a blocked address", new SafeFetchError("blocked_address"), false],
    ["a file too large", new SafeFetchError("too_large"), false],
    ["an invalid URL", new SafeFetchError("invalid_url"), false],
    ["too many redirects", new SafeFetchError("too_many_redirects"), false],
  ])("%s: %s", (_, error, temporary) => {
    expect(isTemporaryFetchFailure(error)).toBe(temporary);
  });
});

describe("attachmentFailureOutcome", () => {
  const now = new Date("2026-11-01T00:00:00Z");
  const email = {
    id: "019a0000-0000-7000-8000-000000000001",
    orgId: "019a0000-0000-7000-8000-000000000002",
    lastEvent: "queued",
    sentAt: null,
    pendingRecipients: null,
  } as unknown as ClaimedEmail;
  const failure = (temporary: boolean): AttachmentFetchFailure => ({
    position: 2,
    filename: "a.pdf",
    temporary,
    message: 'Could not fetch attachments[2] ("a.pdf"): why',
    error: new SafeFetchError("timeout"),
  });
  const input = (temporary: boolean, attemptsLeft: boolean) => ({
    failure: failure(temporary),
    attempt: 3,
    attemptsLeft,
    finalHop: true,
  });

  it("delays the email once, keeping the recipients still to send to", () => {
    const partly = { ...email, sentAt: now, lastEvent: "delivered", pendingRecipients: ["b@x.io"] };
    const first = attachmentFailureOutcome(partly as ClaimedEmail, "w", input(true, true), now);
    expect(first).toMatchObject({
      status: "delivery_delayed",
      lastEvent: "delivery_delayed",
      pendingRecipients: ["b@x.io"],
      retry: true,
    });
    expect(first.events.map((event) => event.details)).toEqual([
      { message: failure(true).message, attachment: { index: 2, filename: "a.pdf" }, attempt: 3 },
    ]);
    const again = { ...partly, lastEvent: "delivery_delayed" } as ClaimedEmail;
    expect(attachmentFailureOutcome(again, "w", input(true, true), now).events).toEqual([]);
  });

  it("fails a never-sent email on a permanent failure, or on the last attempt", () => {
    const permanent = attachmentFailureOutcome(email, "w", input(false, true), now);
    expect(permanent).toMatchObject({ status: "failed", lastEvent: "failed", retry: false });
    expect(permanent.lastError).toBe(failure(false).message);
    const exhausted = attachmentFailureOutcome(email, "w", input(true, false), now);
    expect(exhausted).toMatchObject({ status: "failed", retry: false });
    expect(exhausted.lastError).toBe(`${failure(true).message} (delivery attempts exhausted)`);
  });

  it("keeps an email delivered to some recipients delivered when the rest fail", () => {
    const partly = { ...email, sentAt: now, lastEvent: "delivery_delayed" } as ClaimedEmail;
    const outcome = attachmentFailureOutcome(partly, "w", input(false, true), now);
    expect(outcome).toMatchObject({ status: "delivered", lastEvent: "failed", sentAt: null });
  });
});

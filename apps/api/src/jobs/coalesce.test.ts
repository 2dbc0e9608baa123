import { describe, expect, it } from "vitest";
import { EMAILS_PER_SEND_JOB, jobSpec } from "./catalog.ts";
import { coalesceSendJobs } from "./coalesce.ts";

const ORG_A = "0190a000-0000-7000-8000-00000000000a";
const ORG_B = "0190a000-0000-7000-8000-00000000000b";
const id = (n: number) => `0190a000-0000-7000-8000-${String(n).padStart(12, "0")}`;
const send = (org: string, n: number, maxAttempts = 12) =>
  jobSpec("email_send", { org_id: org, email_ids: [id(n)] }, { maxAttempts });

describe("coalesceSendJobs", () => {
  it("merges the immediate sends of an organization, up to the job's limit", () => {
    const specs = Array.from({ length: EMAILS_PER_SEND_JOB + 5 }, (_, n) => send(ORG_A, n));
    const jobs = coalesceSendJobs(specs);
    expect(jobs.map((job) => (job.payload as { email_ids: string[] }).email_ids.length)).toEqual([
      EMAILS_PER_SEND_JOB,
      5,
    ]);
    expect(jobs.flatMap((job) => (job.payload as { email_ids: string[] }).email_ids)).toEqual(
      specs.map((_, n) => id(n)),
    );
    expect(jobs.every((job) => job.max_attempts === 12)).toBe(true);
  });

  it("keeps organizations and attempt limits apart", () => {
    const jobs = coalesceSendJobs([
      send(ORG_A, 1),
      send(ORG_B, 2),
      send(ORG_A, 3),
      send(ORG_A, 4, 2),
    ]);
    expect(jobs.map((job) => job.payload)).toEqual([
      { org_id: ORG_A, email_ids: [id(1), id(3)] },
      { org_id: ORG_B, email_ids: [id(2)] },
      { org_id: ORG_A, email_ids: [id(4)] },
    ]);
  });

  it("leaves scheduled (keyed, timed) sends and other tasks alone", () => {
    const scheduled = jobSpec(
      "email_send",
      { org_id: ORG_A, email_ids: [id(9)] },
      { runAt: new Date("2030-01-01T00:00:00Z"), jobKey: `email_send:${id(9)}` },
    );
    const prune = jobSpec("idempotency_prune", {});
    const jobs = coalesceSendJobs([scheduled, send(ORG_A, 1), prune, send(ORG_A, 2)]);
    expect(jobs).toEqual([
      scheduled,
      prune,
      {
        identifier: "email_send",
        payload: { org_id: ORG_A, email_ids: [id(1), id(2)] },
        max_attempts: 12,
      },
    ]);
  });
});

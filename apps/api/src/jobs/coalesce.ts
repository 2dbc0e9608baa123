import { EMAILS_PER_SEND_JOB, type JobPayload, type JobSpec } from "./catalog.ts";

/**
 * Merges the immediate email_send jobs of one commit: those of the same organization and
 * attempt limit become jobs of up to EMAILS_PER_SEND_JOB emails. Keyed or timed jobs
 * (scheduled sends, which reschedule and cancel address by key) and other tasks stay as they are.
 */
export function coalesceSendJobs(specs: JobSpec[]): JobSpec[] {
  const kept: JobSpec[] = [];
  const groups = new Map<string, { spec: JobSpec; ids: string[] }>();
  for (const spec of specs) {
    if (spec.identifier !== "email_send" || spec.job_key || spec.run_at) {
      kept.push(spec);
      continue;
    }
    const payload = spec.payload as JobPayload<"email_send">;
    const group = `${payload.org_id}|${spec.max_attempts ?? ""}`;
    const open = groups.get(group);
    if (open && open.ids.length + payload.email_ids.length <= EMAILS_PER_SEND_JOB) {
      open.ids.push(...payload.email_ids);
      continue;
    }
    if (open) kept.push(sendSpec(open));
    groups.set(group, { spec, ids: [...payload.email_ids] });
  }
  for (const open of groups.values()) kept.push(sendSpec(open));
  return kept;
}

function sendSpec({ spec, ids }: { spec: JobSpec; ids: string[] }): JobSpec {
  const payload = spec.payload as JobPayload<"email_send">;
  return { ...spec, payload: { org_id: payload.org_id, email_ids: ids } };
}

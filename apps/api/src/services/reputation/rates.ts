import type { ReputationSettings } from "../../config.ts";

export interface Counts {
  sent: number;
  bounced: number;
  complained: number;
}

export interface DayCounts extends Counts {
  /** UTC day, YYYY-MM-DD. */
  day: string;
}

/**
 * An admin's resume: rates count only what came after it. Counters are per day, so the
 * resume day's counts at that moment are kept and left out.
 */
export interface ResumeMark extends Counts {
  at: Date;
  day: string;
}

const DAY_MS = 86_400_000;

export const utcDay = (date: Date) => date.toISOString().slice(0, 10);

/** The first day of the window that ends today (UTC). */
export function windowStartDay(now: Date, windowDays: number): string {
  return utcDay(new Date(now.getTime() - (windowDays - 1) * DAY_MS));
}

/**
 * The counts the thresholds are judged on: the window's days, or, after a resume within the
 * window, only what was counted since (so the old window that caused the pause does not pause
 * again at once; the minimum volume has to be sent anew first).
 */
export function judgedCounts(
  days: DayCounts[],
  windowStart: string,
  resume: ResumeMark | undefined,
): { counts: Counts; since: Date } {
  const resumed = resume && resume.day >= windowStart ? resume : undefined;
  const from = resumed ? resumed.day : windowStart;
  const counts: Counts = { sent: 0, bounced: 0, complained: 0 };
  for (const day of days) {
    if (day.day < from) continue;
    counts.sent += day.sent;
    counts.bounced += day.bounced;
    counts.complained += day.complained;
  }
  if (resumed) {
    // Never below zero: a resume recorded before the counters caught up with that day.
    counts.sent = Math.max(0, counts.sent - resumed.sent);
    counts.bounced = Math.max(0, counts.bounced - resumed.bounced);
    counts.complained = Math.max(0, counts.complained - resumed.complained);
  }
  return { counts, since: resumed ? resumed.at : new Date(`${windowStart}T00:00:00.000Z`) };
}

const ratio = (part: number, whole: number) =>
  whole > 0 ? Math.round((part / whole) * 1e6) / 1e6 : 0;

/** Bounced and complained recipients per recipient sent (0 while nothing was sent). */
export function rates(counts: Counts): { bounceRate: number; complaintRate: number } {
  return {
    bounceRate: ratio(counts.bounced, counts.sent),
    complaintRate: ratio(counts.complained, counts.sent),
  };
}

const percent = (value: number) => `${Number((value * 100).toFixed(2))}%`;

/**
 * Why these counts must pause their sender, or null: each rate past its threshold, once the
 * minimum volume is reached. The text is what the API shows in its refusals.
 */
export function breach(
  counts: Counts,
  settings: Pick<ReputationSettings, "minSent" | "bounceRateThreshold" | "complaintRateThreshold">,
  period: string,
): string | null {
  if (counts.sent < settings.minSent) return null;
  const { bounceRate, complaintRate } = rates(counts);
  const reasons: string[] = [];
  if (bounceRate > settings.bounceRateThreshold) {
    reasons.push(
      `bounce rate ${percent(bounceRate)} (${counts.bounced} bounced of ${counts.sent} sent ${period}) is above the ${percent(settings.bounceRateThreshold)} threshold`,
    );
  }
  if (complaintRate > settings.complaintRateThreshold) {
    reasons.push(
      `complaint rate ${percent(complaintRate)} (${counts.complained} complaints of ${counts.sent} sent ${period}) is above the ${percent(settings.complaintRateThreshold)} threshold`,
    );
  }
  return reasons.length > 0 ? reasons.join("; ") : null;
}

/** How a reason names the period it counted. */
export function periodLabel(since: Date, windowDays: number, resumed: boolean): string {
  return resumed
    ? `since sending was resumed at ${since.toISOString()}`
    : `in the last ${windowDays} day${windowDays === 1 ? "" : "s"}`;
}

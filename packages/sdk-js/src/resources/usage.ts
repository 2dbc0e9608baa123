import type { HttpClient, RequestOptions } from "../core/http.ts";
import type { ApiResponse } from "../core/response.ts";
import type { Usage as UsageData } from "../types.ts";

export interface UsageOptions {
  /** First UTC day, `2026-11-01` (inclusive). Default: 29 days before `end`. */
  start?: string;
  /** Last UTC day (inclusive). Default: today. At most 366 days from `start`. */
  end?: string;
}

/** What the organization used, day by day, and its plan's quotas. */
export class Usage {
  private readonly http: HttpClient;

  constructor(http: HttpClient) {
    this.http = http;
  }

  get(range: UsageOptions = {}, options?: RequestOptions): Promise<ApiResponse<UsageData>> {
    return this.http.json(
      {
        method: "GET",
        path: "/usage",
        query: { start: range.start, end: range.end },
        replaySafe: true,
      },
      options,
    );
  }
}

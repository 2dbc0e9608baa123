import type { HttpClient, RequestOptions } from "../core/http.ts";
import type { ApiResponse } from "../core/response.ts";
import type { components } from "../generated/openapi.ts";
import type { Reputation as ReputationData } from "../types.ts";

export interface ReputationOptions {
  /** Only this domain's figures (the organization's are always there). */
  domainId?: string;
}

export interface ResumeSendingOptions {
  /** The domain to resume; the whole organization when absent. */
  domainId?: string;
}

export class Reputation {
  private readonly http: HttpClient;

  constructor(http: HttpClient) {
    this.http = http;
  }

  /** Bounce and complaint rates, thresholds, and what is paused. */
  get(
    query: ReputationOptions = {},
    options?: RequestOptions,
  ): Promise<ApiResponse<ReputationData>> {
    return this.http.json(
      {
        method: "GET",
        path: "/reputation",
        query: { domain_id: query.domainId },
        replaySafe: true,
      },
      options,
    );
  }

  /** Resumes a paused domain or organization; resuming what is not paused changes nothing. */
  resume(
    payload: ResumeSendingOptions = {},
    options?: RequestOptions,
  ): Promise<ApiResponse<ReputationData>> {
    return this.http.json(
      {
        method: "POST",
        path: "/reputation/resume",
        body:
          payload.domainId === undefined
            ? undefined
            : ({
                domain_id: payload.domainId,
              } satisfies components["schemas"]["ResumeSendingRequest"]),
        replaySafe: true,
      },
      options,
    );
  }
}

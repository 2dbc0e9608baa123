import type { HttpClient, RequestOptions } from "../core/http.ts";
import type { ApiResponse } from "../core/response.ts";
import type { Health, Readiness } from "../types.ts";

/** Liveness and readiness (no API key needed, though the client sends it). */
export class System {
  private readonly http: HttpClient;

  constructor(http: HttpClient) {
    this.http = http;
  }

  health(options?: RequestOptions): Promise<ApiResponse<Health>> {
    return this.http.json({ method: "GET", path: "/health", replaySafe: true }, options);
  }

  /** `status: "not_ready"` (a 503) is data here, not an error: it is the answer asked for. */
  ready(options?: RequestOptions): Promise<ApiResponse<Readiness>> {
    return this.http.json(
      { method: "GET", path: "/ready", replaySafe: true, dataStatuses: [503] },
      options,
    );
  }
}

import type { HttpClient, RequestOptions } from "../core/http.ts";
import type { ApiResponse } from "../core/response.ts";
import type { RequestSigning as RequestSigningData, RequestSigningSecret } from "../types.ts";

/**
 * Whether the organization's API requests must be signed. Once it is on, make clients with the
 * secret, `new ThriveSend(apiKey, { signingSecret })`: they sign every request.
 */
export class RequestSigning {
  private readonly http: HttpClient;

  constructor(http: HttpClient) {
    this.http = http;
  }

  get(options?: RequestOptions): Promise<ApiResponse<RequestSigningData>> {
    return this.http.json({ method: "GET", path: "/request-signing", replaySafe: true }, options);
  }

  /**
   * Turns signing on, or gives it a new secret (answered this once; the previous one still
   * works for 24 hours). From then on, this client's requests are refused unless it was made
   * with a `signingSecret`.
   */
  rotate(options?: RequestOptions): Promise<ApiResponse<RequestSigningSecret>> {
    return this.http.json(
      // A second rotation would void the secret of the first, whose answer was lost.
      { method: "POST", path: "/request-signing/rotate", replaySafe: false },
      options,
    );
  }

  /** Requests no longer need a signature; the secrets are deleted. */
  disable(options?: RequestOptions): Promise<ApiResponse<RequestSigningData>> {
    return this.http.json(
      { method: "DELETE", path: "/request-signing", replaySafe: true },
      options,
    );
  }
}

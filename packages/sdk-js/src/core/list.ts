import type { ApiRequest, HttpClient, QueryValue, RequestOptions } from "./http.ts";
import { type Page, PagePromise, type PaginationOptions } from "./pagination.ts";

/** A list operation: a GET with `limit`, `after|before` and the list's own filters. */
export function listPages<Item extends { id: string }>(
  http: HttpClient,
  request: Pick<ApiRequest, "path" | "pathParams">,
  pagination: PaginationOptions,
  filters: Record<string, QueryValue>,
  options: RequestOptions | undefined,
): PagePromise<Item> {
  return new PagePromise<Item>(
    (cursor) =>
      http.json<Page<Item>>(
        {
          ...request,
          method: "GET",
          replaySafe: true,
          query: { ...filters, limit: pagination.limit, ...cursor },
        },
        options,
      ),
    { after: pagination.after, before: pagination.before },
  );
}

import { type ApiResponse, ThriveSendError } from "./response.ts";

/** `?limit&after|before`, as every list takes them. */
export type PaginationOptions = {
  /** 1 to 100 items per page; default 20. */
  limit?: number;
} & (
  | {
      /** Continue after this id (older items). */
      after?: string;
      before?: never;
    }
  | {
      /** Return the items before this id (newer items). */
      before?: string;
      after?: never;
    }
);

export interface Page<Item> {
  object: "list";
  data: Item[];
  has_more: boolean;
}

type Cursor = { after?: string; before?: string };

/**
 * What a list method returns, as Stripe's and OpenAI's SDKs do: `await` it for the first page
 * (`{data, error, headers}`), or iterate it with `for await` for every item of every page,
 * fetched as they are reached by following `has_more` (with `after` the last item's id; with
 * `before` given, upwards from the first's). A page that fails throws a ThriveSendError from
 * the iterator, since an iterator has nowhere else to put it. Nothing is fetched until one of
 * the two is used; the first page is fetched once for both.
 */
export class PagePromise<Item extends { id: string }>
  implements PromiseLike<ApiResponse<Page<Item>>>, AsyncIterable<Item>
{
  private first: Promise<ApiResponse<Page<Item>>> | undefined;
  private readonly fetchPage: (cursor: Cursor) => Promise<ApiResponse<Page<Item>>>;
  private readonly cursor: Cursor;

  constructor(fetchPage: (cursor: Cursor) => Promise<ApiResponse<Page<Item>>>, cursor: Cursor) {
    this.fetchPage = fetchPage;
    this.cursor = cursor;
  }

  // biome-ignore lint/suspicious/noThenProperty: a PromiseLike is what makes `await list()` work.
  then<R1 = ApiResponse<Page<Item>>, R2 = never>(
    onFulfilled?: ((value: ApiResponse<Page<Item>>) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.firstPage().then(onFulfilled, onRejected);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Item> {
    for await (const page of this.pages()) yield* page.data;
  }

  /** Each page in turn (the same walk as the item iterator, a page at a time). */
  async *pages(): AsyncGenerator<Page<Item>> {
    const upwards = this.cursor.before !== undefined;
    let response = await this.firstPage();
    for (;;) {
      if (response.error) throw new ThriveSendError(response.error, response.headers);
      const page = response.data;
      yield page;
      const edge = upwards ? page.data[0] : page.data.at(-1);
      if (!page.has_more || !edge) return;
      response = await this.fetchPage(upwards ? { before: edge.id } : { after: edge.id });
    }
  }

  private firstPage(): Promise<ApiResponse<Page<Item>>> {
    this.first ??= this.fetchPage(this.cursor);
    return this.first;
  }
}

import { z } from "@hono/zod-openapi";

const paginationFields = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .openapi({
      param: { name: "limit", in: "query" },
      description: "1 to 100, default 20.",
      example: 20,
    }),
  after: z
    .uuid("must be the id of an item from a previous page")
    .optional()
    .openapi({
      param: { name: "after", in: "query" },
      description: "Continue after this id (older items). Not with `before`.",
    }),
  before: z
    .uuid("must be the id of an item from a previous page")
    .optional()
    .openapi({
      param: { name: "before", in: "query" },
      description: "Return the items before this id (newer items). Not with `after`.",
    }),
};

/** `?limit&after|before`, plus a list's own filters. */
export function paginationQuery<Extra extends z.ZodRawShape>(extra: Extra) {
  return z
    .object({ ...paginationFields, ...extra })
    .refine((query) => !("after" in query && query.after && "before" in query && query.before), {
      message: "use either `after` or `before`, not both",
      path: ["before"],
    });
}

export const PaginationQuerySchema = paginationQuery({});

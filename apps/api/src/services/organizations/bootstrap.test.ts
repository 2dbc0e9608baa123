import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeys } from "../../db/schema/index.ts";
import { startTestApi, type TestApi } from "../../test/harness.ts";
import { bootstrapApiKey } from "./bootstrap.ts";

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

describe("BOOTSTRAP_API_KEY", () => {
  it("creates an organization and a full-access key with exactly that value, once", async () => {
    const token = "ts_bootstrap_for_automation_1234";
    const results = await Promise.all([1, 2, 3].map(() => bootstrapApiKey(api.database.db, token)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const [count] = await api.database.db.select({ n: sql<number>`count(*)::int` }).from(apiKeys);
    expect(count?.n).toBe(1);

    const response = await api.call("POST", "/api-keys", {
      key: token,
      json: { name: "made by automation" },
    });
    expect(response.status).toBe(200);
    expect(await bootstrapApiKey(api.database.db, "ts_another_bootstrap_value_99")).toBe(false);
  });
});

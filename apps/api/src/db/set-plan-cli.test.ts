import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../test/harness.ts";

const run = promisify(execFile);
const CLI = fileURLToPath(new URL("./set-plan-cli.ts", import.meta.url));

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

async function orgPlan(...args: string[]) {
  try {
    const { stdout } = await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, DATABASE_URL: api.database.url },
    });
    return { code: 0, out: stdout };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, out: failed.stderr };
  }
}

describe("pnpm org:plan", () => {
  it("moves an organization to a plan, shows it in GET /usage and the audit log", async () => {
    const org = await api.createOrg();
    const result = await orgPlan(org.orgId, "pro");
    expect(result).toEqual({ code: 0, out: `organization ${org.orgId}: plan free -> pro\n` });

    const usage = await api.call("GET", "/usage", { key: org.key });
    expect(usage.body.plan).toBe("pro");
    const audit = await api.call("GET", "/audit-logs?action=organization.plan_changed", {
      key: org.key,
    });
    expect(audit.body.data).toHaveLength(1);
    expect(audit.body.data[0]).toMatchObject({
      actor: { type: "system", id: null },
      details: { from: "free", to: "pro" },
    });
  });

  it("refuses an unknown plan or organization, changing nothing", async () => {
    const org = await api.createOrg();
    expect((await orgPlan(org.orgId, "platinum")).code).toBe(2);
    expect((await orgPlan("not-an-id", "pro")).code).toBe(2);
    const missing = await orgPlan("00000000-0000-7000-8000-00000000abcd", "pro");
    expect(missing).toEqual({
      code: 1,
      out: "no organization 00000000-0000-7000-8000-00000000abcd\n",
    });
    const usage = await api.call("GET", "/usage", { key: org.key });
    expect(usage.body.plan).toBe("free");
  });
});

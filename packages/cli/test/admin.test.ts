/** api-keys list and rotate, audit-logs list and export, usage: tables, JSON, files, errors. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { live, newHome, thrive, unique } from "./support/thrive.ts";

const home = newHome();

beforeAll(async () => {
  const login = await thrive(["login", "--api-key", live.apiKey, "--base-url", live.url], {
    env: home.env,
  });
  expect(login.code).toBe(0);
});

/** A key made through the API directly (not the CLI under test). */
async function createKey(name: string): Promise<{ id: string; token: string }> {
  const response = await fetch(`${live.url}/api-keys`, {
    method: "POST",
    headers: { authorization: `Bearer ${live.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ name }),
  });
  return (await response.json()) as { id: string; token: string };
}

describe("thrive api-keys", () => {
  it("lists the keys and rotates one: the new token on stdout, the old one's end on stderr", async () => {
    const name = unique("cli-key").slice(0, 50);
    const key = await createKey(name);
    const listed = await thrive(["api-keys", "list", "--limit", "100"], { env: home.env });
    expect(listed.code).toBe(0);
    const line = listed.stdout.split("\n").find((row) => row.startsWith(key.id));
    expect(line).toContain(name);
    expect(line).toContain(key.token.slice(0, 8));
    expect(listed.stdout).not.toContain(key.token);

    const rotated = await thrive(["api-keys", "rotate", key.id, "--grace-period", "60"], {
      env: home.env,
    });
    expect(rotated.code).toBe(0);
    const token = rotated.stdout.trim();
    expect(token).toMatch(/^ts_/);
    expect(rotated.stderr).toContain("shown this once");
    expect(rotated.stderr).toContain(`The old key (${key.id}) stops working at`);
    // The new token works; the old one too, for its grace period.
    for (const credential of [token, key.token]) {
      const check = await thrive(["api-keys", "list", "--limit", "1", "--json"], {
        env: { ...home.env, THRIVE_API_KEY: credential },
      });
      expect(check.code).toBe(0);
    }

    const again = await thrive(["api-keys", "rotate", key.id, "--json"], { env: home.env });
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stderr)).toMatchObject({
      error: { name: "invalid_state", statusCode: 409 },
    });
    const usage = await thrive(["api-keys", "rotate", key.id, "--grace-period", "-5"], {
      env: home.env,
    });
    expect(usage.code).toBe(2);
  });

  it("answers the rotation as JSON", async () => {
    const key = await createKey(unique("cli-json").slice(0, 50));
    const rotated = await thrive(["api-keys", "rotate", key.id, "--json"], { env: home.env });
    expect(rotated.code).toBe(0);
    expect(JSON.parse(rotated.stdout)).toMatchObject({
      object: "api_key",
      token: expect.stringMatching(/^ts_/),
      previous: { id: key.id },
    });
  });
});

describe("thrive audit-logs", () => {
  it("lists an object's entries as a table and as JSON", async () => {
    const key = await createKey(unique("audited").slice(0, 50));
    const table = await thrive(["audit-logs", "list", "--target-id", key.id], { env: home.env });
    expect(table.code).toBe(0);
    const [heading, row] = table.stdout.trim().split("\n");
    expect(heading?.split(/\s{2,}/)).toEqual(["CREATED", "ACTION", "ACTOR", "TARGET", "IP"]);
    expect(row).toContain("api_key.created");
    expect(row).toContain(`api_key ${key.id}`);

    const json = await thrive(
      ["audit-logs", "list", "--action", "api_key.*", "--target-id", key.id, "--all", "--json"],
      { env: home.env },
    );
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      object: "list",
      has_more: false,
      data: [{ action: "api_key.created", target: { type: "api_key", id: key.id } }],
    });
    const future = await thrive(
      ["audit-logs", "list", "--target-id", key.id, "--since", "2999-01-01"],
      { env: home.env },
    );
    expect(future.stderr).toContain("No audit log entries.");
  });

  it("exports to stdout as NDJSON and to a file as CSV", async () => {
    const key = await createKey(unique("exported").slice(0, 50));
    await fetch(`${live.url}/api-keys/${key.id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${live.apiKey}` },
    });
    const ndjson = await thrive(["audit-logs", "export", "--target-id", key.id], {
      env: home.env,
    });
    expect(ndjson.code).toBe(0);
    const actions = ndjson.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line).action);
    expect(actions).toEqual(["api_key.created", "api_key.revoked"]);

    const file = join(home.home, "audit.csv");
    const csv = await thrive(
      ["audit-logs", "export", "--format", "csv", "--target-id", key.id, "-o", file, "--json"],
      { env: home.env },
    );
    expect(csv.code).toBe(0);
    expect(JSON.parse(csv.stdout)).toEqual({ path: file, format: "csv", entries: 2 });
    const lines = (await readFile(file, "utf8")).trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^id,created_at,action,/);
    expect(lines.slice(1).map((line) => line.split(",")[2])).toEqual([
      "api_key.created",
      "api_key.revoked",
    ]);
  });

  it("refuses a bad filter before asking, and reports the API's refusal", async () => {
    const badTime = await thrive(["audit-logs", "list", "--since", "yesterday"], {
      env: home.env,
    });
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toContain("expected an ISO 8601 date or time");
    const badType = await thrive(["audit-logs", "export", "--actor-type", "robot"], {
      env: home.env,
    });
    expect(badType.code).toBe(2);
    const badAction = await thrive(["audit-logs", "list", "--action", "Not an action", "--json"], {
      env: home.env,
    });
    expect(badAction.code).toBe(1);
    expect(JSON.parse(badAction.stderr).error.name).toBe("validation_error");
  });
});

describe("thrive usage", () => {
  it("prints the plan, quotas and totals, and the days of the range", async () => {
    const json = await thrive(["usage", "--start", "2026-01-01", "--end", "2026-01-31", "--json"], {
      env: home.env,
    });
    expect(json.code).toBe(0);
    const usage = JSON.parse(json.stdout);
    expect(usage).toMatchObject({ object: "usage", from: "2026-01-01", to: "2026-01-31" });
    expect(usage.data).toHaveLength(31);

    const quiet = await thrive(["usage", "--start", "2026-01-01", "--end", "2026-01-03", "--all"], {
      env: home.env,
    });
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toMatch(/^Plan\s+free$/m);
    expect(quiet.stdout).toMatch(/^Today\s+\d+ \(no quota\)$/m);
    expect(quiet.stdout).toMatch(/^2026-01-01 to 2026-01-03\s+0 emails, 0 API calls$/m);
    expect(quiet.stdout).toContain("DAY");
    expect(quiet.stdout).toMatch(/^2026-01-02\s+0\s+0$/m);

    // The last 30 days by default; the quiet days only with --all.
    const recent = await thrive(["usage", "--json"], { env: home.env });
    expect(JSON.parse(recent.stdout).data).toHaveLength(30);
    const table = await thrive(["usage"], { env: home.env });
    expect(table.code).toBe(0);
    const rows = table.stdout.split("\n").filter((line) => /^\d{4}-\d{2}-\d{2}\s/.test(line));
    for (const row of rows) expect(row).not.toMatch(/\s0\s+0$/);

    const backwards = await thrive(["usage", "--start", "2026-02-01", "--end", "2026-01-01"], {
      env: home.env,
    });
    expect(backwards.code).toBe(1);
    expect(backwards.stderr).toContain("validation_error");
    expect((await thrive(["usage", "--start", "2026-13-45"], { env: home.env })).code).toBe(2);
  });
});

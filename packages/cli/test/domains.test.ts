/** domains add, list, get and verify: the DNS records as a table, statuses, the wait. */
import { beforeAll, describe, expect, it } from "vitest";
import { live, newHome, thrive, unique } from "./support/thrive.ts";

const home = newHome();

beforeAll(async () => {
  const login = await thrive(["login", "--api-key", live.apiKey, "--base-url", live.url], {
    env: home.env,
  });
  expect(login.code).toBe(0);
});

/** The table's rows, cut into cells where the heading's columns start (cells may be empty). */
function rows(stdout: string, heading: string): string[][] {
  const lines = stdout.split("\n");
  const start = lines.findIndex((line) => line.startsWith(heading));
  expect(start, `a table headed ${heading}`).toBeGreaterThanOrEqual(0);
  const starts = [...(lines[start] as string).matchAll(/\S+/g)].map((match) => match.index);
  const table: string[][] = [];
  for (const line of lines.slice(start)) {
    if (line.trim() === "") break;
    table.push(starts.map((at, n) => line.slice(at, starts[n + 1] ?? line.length).trim()));
  }
  return table;
}

describe("thrive domains", () => {
  it("adds a domain and prints the records to publish as a table", async () => {
    const name = `${unique("cli")}.example`;
    const added = await thrive(["domains", "add", name, "--region", "eu-west-1"], {
      env: home.env,
    });
    expect(added.code).toBe(0);
    expect(added.stdout).toContain(`${name}  `);
    expect(added.stderr).toContain(`thrive domains verify ${name}`);
    const table = rows(added.stdout, "RECORD");
    expect(table[0]).toEqual(["RECORD", "TYPE", "NAME", "PRIORITY", "STATUS", "VALUE"]);
    // Rows without a priority have an empty column there: compare by content.
    const byKind = table.slice(1).map((row) => `${row[0]} ${row[1]}`);
    expect(byKind).toEqual(expect.arrayContaining(["DKIM TXT", "SPF MX", "SPF TXT", "DMARC TXT"]));
    const dkim = table.find((row) => row[0] === "DKIM");
    expect(dkim?.[2]).toMatch(/\._domainkey$/);
    expect(dkim?.at(-1)).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/=]+$/);
    expect(dkim?.[3]).toBe("");
    const mx = table.find((row) => row[1] === "MX");
    expect(mx).toEqual(["SPF", "MX", "send", "10", "not_started", expect.any(String)]);

    const listed = await thrive(["domains", "list", "--json"], { env: home.env });
    const domain = JSON.parse(listed.stdout).data.find(
      (item: { name: string }) => item.name === name,
    );
    expect(domain).toMatchObject({ name, region: "eu-west-1", status: "not_started" });

    const listTable = await thrive(["domains", "list"], { env: home.env });
    const row = rows(listTable.stdout, "ID").find((columns) => columns[1] === name);
    expect(row).toEqual([
      domain.id,
      name,
      "not_started",
      "eu-west-1",
      expect.stringMatching(/^\d{4}-/),
    ]);

    const byName = await thrive(["domains", "get", name, "--json"], { env: home.env });
    expect(JSON.parse(byName.stdout)).toMatchObject({ object: "domain", id: domain.id, name });
  });

  it("answers the created domain with --json", async () => {
    const name = `${unique("json")}.example`;
    const added = await thrive(["domains", "add", name, "--json"], { env: home.env });
    expect(added.code).toBe(0);
    const domain = JSON.parse(added.stdout);
    expect(domain).toMatchObject({ name, status: "not_started", region: "us-east-1" });
    expect(domain.records.map((record: { record: string }) => record.record)).toEqual(
      expect.arrayContaining(["DKIM", "SPF", "DMARC"]),
    );
  });

  it("verifies: polls until the wait is over and says the domain is still pending (no DNS here)", async () => {
    const name = `${unique("verify")}.example`;
    expect((await thrive(["domains", "add", name, "--json"], { env: home.env })).code).toBe(0);

    const started = Date.now();
    const verify = await thrive(["domains", "verify", name, "--wait", "3"], { env: home.env });
    const took = Date.now() - started;
    expect(verify.code).toBe(1);
    expect(took).toBeGreaterThanOrEqual(3000);
    expect(took).toBeLessThan(15_000);
    expect(verify.stderr).toMatch(
      new RegExp(`${name.replace(/\./g, "\\.")} (is still pending after 3 s|failed verification)`),
    );
    // The records table follows, none of them found.
    const table = rows(verify.stdout, "RECORD").slice(1);
    expect(table.length).toBeGreaterThanOrEqual(4);
    for (const row of table) expect(row[4]).toMatch(/^(pending|failed|not_started)$/);

    // With --json: the domain as last seen, on stdout alone.
    const json = await thrive(["domains", "verify", name, "--wait", "1", "--json"], {
      env: home.env,
    });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      name,
      status: expect.stringMatching(/pending|failed/),
    });

    // --wait 0 starts the check and does not wait: nothing has failed yet.
    const now = await thrive(["domains", "verify", name, "--wait", "0"], { env: home.env });
    expect(now.code).toBe(0);
  });

  it("errors: an unknown domain, an invalid name, an unknown region", async () => {
    const unknown = await thrive(["domains", "verify", "nothing-here.example", "--wait", "1"], {
      env: home.env,
    });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("No domain named nothing-here.example");

    const invalid = await thrive(["domains", "add", "not a domain"], { env: home.env });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain("validation_error");
    expect(invalid.stderr).toContain("must be a domain name");

    const region = await thrive(["domains", "add", "x.example", "--region", "mars-1"], {
      env: home.env,
    });
    expect(region.code).toBe(2);
    expect(region.stderr).toContain("Allowed choices are us-east-1");

    const otherOrg = await thrive(
      ["domains", "get", "019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47", "--api-key", live.otherApiKey],
      { env: home.env },
    );
    expect(otherOrg.code).toBe(1);
    expect(otherOrg.stderr).toContain("not_found");
  });
});

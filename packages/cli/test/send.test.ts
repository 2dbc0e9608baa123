/** send, emails get and emails list (one page, every page), as tables and as JSON. */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { live, newHome, thrive, unique } from "./support/thrive.ts";

const home = newHome();
let files: string;

beforeAll(async () => {
  files = await mkdtemp(join(tmpdir(), "thrive-cli-files-"));
  const login = await thrive(["login", "--api-key", live.apiKey, "--base-url", live.url], {
    env: home.env,
  });
  expect(login.code).toBe(0);
});

describe("thrive send", () => {
  it("sends an email with a body from @file.html and a tag, then shows it with emails get/list", async () => {
    const html = `<h1>Hello</h1>\n<p>From a file, ${unique("body")}</p>\n`;
    await writeFile(join(files, "welcome.html"), html);
    const subject = unique("Welcome");
    const sent = await thrive(
      [
        "send",
        "--from",
        "Acme <hello@acme.dev>",
        "--to",
        'ada@example.com,"Lovelace, Ada" <lovelace@example.com>',
        "--to",
        "grace@example.com",
        "--cc",
        "cc@example.com",
        "--subject",
        subject,
        "--html",
        "@welcome.html",
        "--tag",
        "campaign=welcome",
        "--tag",
        "tier=gold",
      ],
      { env: home.env, cwd: files },
    );
    expect(sent.stderr).toContain("queued");
    expect(sent.code).toBe(0);
    // stdout is the id alone, for `id=$(thrive send ...)`.
    const id = sent.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const got = await thrive(["emails", "get", id, "--json"], { env: home.env });
    expect(got.code).toBe(0);
    const email = JSON.parse(got.stdout);
    expect(email).toMatchObject({
      object: "email",
      id,
      from: "Acme <hello@acme.dev>",
      to: ["ada@example.com", '"Lovelace, Ada" <lovelace@example.com>', "grace@example.com"],
      cc: ["cc@example.com"],
      subject,
      html,
    });
    expect(email.tags).toEqual([
      { name: "campaign", value: "welcome" },
      { name: "tier", value: "gold" },
    ]);

    const shown = await thrive(["emails", "get", id], { env: home.env });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`Subject\\s+${subject}`));
    expect(shown.stdout).toContain("campaign=welcome, tier=gold");
    expect(shown.stdout).toMatch(/Last event\s+(queued|sent|delivered)/);
    // Not a terminal: no color codes.
    expect(shown.stdout).not.toContain("\u001b[");

    const list = await thrive(["emails", "list", "--limit", "5", "--json"], { env: home.env });
    expect(list.code).toBe(0);
    const page = JSON.parse(list.stdout);
    expect(page.object).toBe("list");
    expect(page.data.map((item: { id: string }) => item.id)).toContain(id);

    const table = await thrive(["emails", "list", "--limit", "5"], { env: home.env });
    expect(table.code).toBe(0);
    const [head, ...rows] = table.stdout.trimEnd().split("\n");
    expect(head?.split(/\s{2,}/)).toEqual(["ID", "TO", "SUBJECT", "LAST EVENT", "CREATED"]);
    const row = rows.find((line) => line.startsWith(id));
    expect(row).toContain(subject);
    expect(row).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  it("takes --text from a file and prints the API's answer with --json", async () => {
    await writeFile(join(files, "note.txt"), "Plain text body\n");
    const idempotencyKey = unique("key");
    const args = [
      "send",
      "--from",
      "hello@acme.dev",
      "--to",
      "text@example.com",
      "--subject",
      "Plain",
      "--text",
      `@${join(files, "note.txt")}`,
      "--idempotency-key",
      idempotencyKey,
      "--json",
    ];
    const first = await thrive(args, { env: home.env });
    expect(first.code).toBe(0);
    const { id } = JSON.parse(first.stdout);
    // The same idempotency key answers the same email.
    const again = await thrive(args, { env: home.env });
    expect(JSON.parse(again.stdout).id).toBe(id);
    const got = JSON.parse(
      (await thrive(["emails", "get", id, "--json"], { env: home.env })).stdout,
    );
    expect(got.text).toBe("Plain text body\n");
  });

  it("reads --html @- from stdin", async () => {
    const sent = await thrive(
      [
        "send",
        "--from",
        "a@acme.dev",
        "--to",
        "b@example.com",
        "--subject",
        "stdin",
        "--html",
        "@-",
        "--json",
      ],
      { env: home.env, input: "<p>piped</p>" },
    );
    expect(sent.code).toBe(0);
    const got = JSON.parse(
      (await thrive(["emails", "get", JSON.parse(sent.stdout).id, "--json"], { env: home.env }))
        .stdout,
    );
    expect(got.html).toBe("<p>piped</p>");
  });

  it("is a usage error (2) without --to, without a body, or with a file that is not there", async () => {
    const base = ["send", "--from", "a@acme.dev", "--subject", "s"];
    const noTo = await thrive([...base, "--text", "t"], { env: home.env });
    expect(noTo.code).toBe(2);
    expect(noTo.stderr).toContain("required option '--to <addresses>' not specified");
    expect(noTo.stdout).toBe("");

    const noBody = await thrive([...base, "--to", "b@example.com"], { env: home.env });
    expect(noBody.code).toBe(2);
    expect(noBody.stderr).toContain("--html or --text");

    const noFile = await thrive([...base, "--to", "b@example.com", "--html", "@missing.html"], {
      env: home.env,
      cwd: files,
    });
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain("no such file: missing.html");

    const noFrom = await thrive(
      ["send", "--to", "b@example.com", "--subject", "s", "--text", "t", "--json"],
      {
        env: home.env,
      },
    );
    expect(noFrom.code).toBe(2);
    expect(JSON.parse(noFrom.stderr)).toMatchObject({
      error: { name: "usage_error", message: "required option '--from <address>' not specified" },
    });

    const badTag = await thrive(
      [...base, "--to", "b@example.com", "--text", "t", "--tag", "novalue"],
      {
        env: home.env,
      },
    );
    expect(badTag.code).toBe(2);
    expect(badTag.stderr).toContain("expected name=value");
  });

  it("prints the API's validation error and exits 1", async () => {
    const result = await thrive(
      ["send", "--from", "not an address", "--to", "also bad", "--subject", "s", "--text", "t"],
      { env: home.env },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("validation_error, 422");
    expect(result.stderr).toContain("is not a valid email address");
    // Both fields' problems are listed.
    expect(result.stderr).toMatch(/- from: .*\n\s+- to\.0: /);
  });

  it("answers not_found for another organization's email", async () => {
    const sent = await thrive(
      ["send", "--from", "a@acme.dev", "--to", "b@example.com", "--subject", "mine", "--text", "t"],
      { env: home.env },
    );
    const id = sent.stdout.trim();
    const other = await thrive(["emails", "get", id, "--api-key", live.otherApiKey], {
      env: home.env,
    });
    expect(other.code).toBe(1);
    expect(other.stderr).toContain("not_found, 404");
  });
});

describe("thrive emails list --all", () => {
  it("pages through every email", async () => {
    // The other organization's emails: only this test sends with its key, so it knows them all.
    const key = live.otherApiKey;
    const emails = Array.from({ length: 105 }, (_, n) => ({
      from: "bulk@acme.dev",
      to: [`bulk-${n}@example.com`],
      subject: `Bulk ${n}`,
      text: "x",
    }));
    for (const batch of [emails.slice(0, 100), emails.slice(100)]) {
      const response = await fetch(`${live.url}/emails/batch`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify(batch),
      });
      expect(response.status).toBe(200);
    }
    const all = await thrive(["emails", "list", "--all", "--json", "--api-key", key], {
      env: home.env,
    });
    expect(all.code).toBe(0);
    const page = JSON.parse(all.stdout);
    expect(page.has_more).toBe(false);
    expect(page.data).toHaveLength(105);
    expect(new Set(page.data.map((email: { id: string }) => email.id)).size).toBe(105);
    // Progress goes to stderr: a plain count when it is not a terminal.
    expect(all.stderr).toContain("Fetched 105 emails.");

    const first = await thrive(["emails", "list", "--api-key", key], { env: home.env });
    expect(first.stdout.trimEnd().split("\n")).toHaveLength(21); // heading + the default 20
    expect(first.stderr).toContain("--all");
  });
});

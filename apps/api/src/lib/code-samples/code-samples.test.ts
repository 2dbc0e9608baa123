import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderOpenApiDocument } from "../openapi-file.ts";
import { exampleValue } from "./example-values.ts";
import type { CodeSample, OpenApiDocumentLike, OperationObject } from "./openapi-types.ts";
import { sdkMethodFor, sdkMethodMap } from "./sdk-methods.ts";

const document = JSON.parse(renderOpenApiDocument()) as OpenApiDocumentLike;
const operations: OperationObject[] = Object.values(document.paths ?? {}).flatMap((item) =>
  Object.values(item),
);
const sampleOf = (operationId: string, lang: string) => {
  const operation = operations.find((candidate) => candidate.operationId === operationId);
  return operation?.["x-codeSamples"]?.find((sample) => sample.lang === lang)?.source ?? "";
};
const TS_HEADER = [
  'import { ThriveSend } from "thrive-send";',
  "",
  'const thrive = new ThriveSend(process.env.THRIVE_API_KEY, { baseUrl: "http://localhost:3000" });',
  "",
].join("\n");

describe("openapi/sdk-methods.json", () => {
  it("names the SDK method of every operation, and of no other", () => {
    const ids = operations.map((operation) => operation.operationId ?? "");
    const missing = ids.filter((id) => sdkMethodMap()[id] === undefined);
    expect(missing, "operations without an entry in openapi/sdk-methods.json").toEqual([]);
    expect(Object.keys(sdkMethodMap()).sort()).toEqual([...ids].sort());
  });

  it("gives Python the TypeScript path in snake_case, and one method to one operation", () => {
    const methods = Object.values(sdkMethodMap()).filter((method) => method !== null);
    for (const method of methods) {
      const snake = method.typescript.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      expect(method.python).toBe(snake);
    }
    const names = methods.map((method) => method.typescript);
    expect(new Set(names).size).toBe(names.length);
  });

  it("refuses an operation it does not know", () => {
    expect(() => sdkMethodFor("sendCarrierPigeon")).toThrow(/no entry.*sendCarrierPigeon/);
    expect(sdkMethodFor("getHealth")).toBeNull();
    expect(sdkMethodFor("listWebhookEventAttempts")).toEqual({
      typescript: "webhooks.events.attempts.list",
      python: "webhooks.events.attempts.list",
    });
  });
});

describe("x-codeSamples", () => {
  it("gives every operation a cURL, a TypeScript and a Python sample", () => {
    expect(operations.length).toBeGreaterThan(40);
    for (const operation of operations) {
      const samples = operation["x-codeSamples"] as CodeSample[];
      expect(
        samples.map((sample) => sample.label),
        operation.operationId,
      ).toEqual(["cURL", "TypeScript", "Python"]);
      for (const sample of samples) expect(sample.source.length).toBeGreaterThan(20);
    }
  });

  it("builds a call from the operation: method, path, body from the schema's examples, headers", () => {
    expect(sampleOf("sendEmail", "TypeScript")).toBe(
      `${TS_HEADER}
const sendEmailResponse = await thrive.emails.send(
  {
    from: "Acme <onboarding@acme.dev>",
    to: ["delivered@example.com"],
    subject: "hello world",
    html: "<p>it works!</p>",
    text: "it works!",
  },
  { idempotencyKey: "welcome-user/123456789" },
);
console.log(sendEmailResponse);`,
    );
    expect(sampleOf("sendEmail", "Python")).toContain(
      'from_="Acme <onboarding@acme.dev>",\n    to=["delivered@example.com"],',
    );
    expect(sampleOf("sendEmail", "Python")).toContain('idempotency_key="welcome-user/123456789",');
    expect(sampleOf("sendEmail", "Shell")).toContain(
      "curl -X POST 'http://localhost:3000/emails' \\\n  -H \"Authorization: Bearer $THRIVE_API_KEY\"",
    );
  });

  it("passes path parameters first, in path order, and query parameters as an object", () => {
    expect(sampleOf("replayWebhookEvent", "TypeScript")).toContain(
      'thrive.webhooks.events.replay(\n  "019a7c2e-8c21-7a3b-9d4e-5f6a7b8c9d0e",\n  "019a7c2e-8d42-7c1b-8e5f-6a7b8c9d0e1f",\n)',
    );
    expect(sampleOf("rotateWebhookSigningSecret", "Python")).toContain(
      'client.webhooks.rotate_signing_secret("019a7c2e-8c21-7a3b-9d4e-5f6a7b8c9d0e")',
    );
    expect(sampleOf("listSuppressions", "TypeScript")).toContain(
      'await thrive.suppressions.list({ origin: "bounce" });',
    );
    expect(sampleOf("listSuppressions", "Shell")).toContain("/suppressions?origin=bounce'");
    expect(sampleOf("batchAddSuppressions", "Python")).toContain("client.suppressions.batch.add(");
    expect(sampleOf("createApiKey", "TypeScript")).toContain("thrive.apiKeys.create(");
  });

  it("iterates over streams and uses plain HTTP for what the SDKs leave out", () => {
    expect(sampleOf("streamEvents", "TypeScript")).toContain(
      "for await (const event of thrive.events.stream()) {",
    );
    expect(sampleOf("streamEvents", "Shell")).toMatch(/^curl -N /);
    expect(sampleOf("exportEvents", "Python")).toContain(
      'for line in client.events.export(format="csv", tag="category:welcome"):',
    );
    expect(sampleOf("getHealth", "TypeScript")).toBe(
      'const response = await fetch("http://localhost:3000/health");\nconsole.log(await response.json());',
    );
    expect(sampleOf("getHealth", "Shell")).toBe("curl 'http://localhost:3000/health'");
  });

  it("writes TypeScript that parses", () => {
    const dir = mkdtempSync(join(tmpdir(), "thrive-samples-"));
    try {
      const bodies = operations.map((operation, i) => {
        const source = sampleOf(operation.operationId ?? "", "TypeScript");
        const body = source.startsWith(TS_HEADER) ? source.slice(TS_HEADER.length) : source;
        return `async function sample${i}() {\n${body}\n}`;
      });
      const file = join(dir, "samples.mjs");
      writeFileSync(file, `const thrive = {};\n${bodies.join("\n")}\n`);
      execFileSync(process.execPath, ["--check", file], { stdio: "pipe" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("writes shell commands that parse", () => {
    const script = operations.map((o) => sampleOf(o.operationId ?? "", "Shell")).join("\n");
    execFileSync("bash", ["-n"], { input: script, stdio: ["pipe", "pipe", "pipe"] });
  });

  it("writes Python that parses", () => {
    const sources = operations.map((o) => sampleOf(o.operationId ?? "", "Python"));
    const check = "import ast, json, sys\nfor source in json.load(sys.stdin): ast.parse(source)";
    execFileSync("python3", ["-c", check], { input: JSON.stringify(sources), stdio: "pipe" });
  });
});

describe("exampleValue", () => {
  const doc: OpenApiDocumentLike = {
    components: {
      schemas: { Tag: { type: "object", properties: { name: { type: "string", example: "x" } } } },
    },
  };

  it("keeps required fields and optional ones that say more than their default", () => {
    expect(
      exampleValue(doc, {
        type: "object",
        required: ["name"],
        properties: {
          name: { type: "string", example: "example.com" },
          region: { type: "string", default: "us-east-1", example: "us-east-1" },
          open_tracking: { type: "boolean", default: false, example: true },
          domain_id: {
            type: "string",
            format: "uuid",
            example: "019a7c2e-6a01-7d2b-8c3e-4f5a6b7c8d9e",
          },
          scheduled_at: {
            type: ["string", "null"],
            format: "date-time",
            example: "2026-12-01T09:00:00Z",
          },
          headers: { type: "object", example: { "X-Entity-Ref-ID": "1" } },
        },
      }),
    ).toEqual({ name: "example.com", open_tracking: true });
  });

  it("follows references, takes a union's first branch and one array item", () => {
    expect(
      exampleValue(doc, { type: "array", items: { $ref: "#/components/schemas/Tag" } }),
    ).toEqual([{ name: "x" }]);
    expect(
      exampleValue(doc, {
        anyOf: [
          {
            type: "object",
            required: ["emails"],
            properties: { emails: { type: "array", example: ["a@b.c"] } },
          },
          { type: "object", required: ["ids"], properties: { ids: { type: "array" } } },
        ],
      }),
    ).toEqual({ emails: ["a@b.c"] });
    expect(() => exampleValue(doc, { $ref: "#/components/schemas/Missing" })).toThrow(/Unresolved/);
  });
});

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderOpenApiDocument } from "../openapi-file.ts";
import { callerOf, signInExample } from "./caller.ts";
import { exampleValue } from "./example-values.ts";
import { addCodeSamples } from "./index.ts";
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
const TS_IMPORT = 'import { ThriveSend } from "@thrive-send/sdk";\n';
const TS_HEADER = [
  'import { ThriveSend } from "@thrive-send/sdk";',
  "",
  'const thrive = new ThriveSend(process.env.THRIVE_API_KEY, { baseUrl: "http://localhost:3000" });',
  "",
].join("\n");
const TS_ERROR_HANDLING = [
  "if (error) {",
  "  console.error(error.name, error.message);",
  "} else {",
].join("\n");
const PY_CLIENT =
  'client = Client(api_key=os.environ["THRIVE_API_KEY"], base_url="http://localhost:3000")';

describe("openapi/sdk-methods.json", () => {
  it("names the SDK methods of every operation, and of no other", () => {
    const ids = operations.map((operation) => operation.operationId ?? "");
    const missing = ids.filter((id) => sdkMethodMap()[id] === undefined);
    expect(missing, "operations without an entry in openapi/sdk-methods.json").toEqual([]);
    expect(Object.keys(sdkMethodMap()).sort()).toEqual([...ids].sort());
  });

  it("gives one method to one operation in each SDK", () => {
    for (const language of ["typescript", "python"] as const) {
      const names = Object.values(sdkMethodMap()).map((method) => method[language]);
      expect(new Set(names).size, language).toBe(names.length);
    }
  });

  it("refuses an operation it does not know, and names each SDK's own path", () => {
    expect(() => sdkMethodFor("sendCarrierPigeon")).toThrow(/no entry.*sendCarrierPigeon/);
    expect(sdkMethodFor("getHealth")).toEqual({
      typescript: "system.health",
      python: "system.health",
    });
    expect(sdkMethodFor("listWebhookEventAttempts")).toEqual({
      typescript: "webhooks.events.attempts.list",
      python: "webhooks.events.attempts",
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

  it("calls the SDK's method with the body from the schema's examples and the headers as options", () => {
    expect(sampleOf("sendEmail", "TypeScript")).toBe(
      `${TS_HEADER}
const { data, error } = await thrive.emails.send(
  {
    from: "Acme <onboarding@acme.dev>",
    to: ["delivered@example.com"],
    subject: "hello world",
    html: "<p>it works!</p>",
    text: "it works!",
  },
  { idempotencyKey: "welcome-user/123456789" },
);
${TS_ERROR_HANDLING}
  console.log(data);
}`,
    );
    expect(sampleOf("sendEmail", "Python")).toBe(
      `import os

from thrive_send import Client
from thrive_send.models import SendEmailResponse

${PY_CLIENT}

send_email_response: SendEmailResponse = client.emails.send(
    {
        "from": "Acme <onboarding@acme.dev>",
        "to": ["delivered@example.com"],
        "subject": "hello world",
        "html": "<p>it works!</p>",
        "text": "it works!",
    },
    idempotency_key="welcome-user/123456789",
)
print(send_email_response)`,
    );
    expect(sampleOf("sendEmail", "Shell")).toContain(
      "curl -X POST 'http://localhost:3000/emails' \\\n  -H \"Authorization: Bearer $THRIVE_API_KEY\"",
    );
  });

  it("takes the id in the payload where the TypeScript SDK does (Resend's shape), positionally in Python", () => {
    expect(sampleOf("updateEmail", "TypeScript")).toContain(
      'await thrive.emails.update({\n  id: "019a7c2e-5b7d-7cc1-9f3e-2d1c5b0a9e11",\n  scheduledAt: "2026-12-01T10:00:00Z",\n});',
    );
    expect(sampleOf("updateEmail", "Python")).toContain(
      'client.emails.update(\n    "019a7c2e-5b7d-7cc1-9f3e-2d1c5b0a9e11", {"scheduled_at": "2026-12-01T10:00:00Z"}\n)',
    );
    expect(sampleOf("replayWebhookEvent", "TypeScript")).toContain(
      'thrive.webhooks.events.replay({\n  webhookId: "019a7c2e-8c21-7a3b-9d4e-5f6a7b8c9d0e",\n  eventId: "019a7c2e-8d42-7c1b-8e5f-6a7b8c9d0e1f",\n});',
    );
    expect(sampleOf("listWebhookEventAttempts", "Python")).toContain(
      'client.webhooks.events.attempts(\n    "019a7c2e-8c21-7a3b-9d4e-5f6a7b8c9d0e", "019a7c2e-8d42-7c1b-8e5f-6a7b8c9d0e1f"\n)',
    );
    expect(sampleOf("updateWebhook", "TypeScript")).toContain(
      'thrive.webhooks.update("019a7c2e-8c21-7a3b-9d4e-5f6a7b8c9d0e", {\n  endpoint:',
    );
    expect(sampleOf("rotateWebhookSigningSecret", "Python")).toContain(
      'client.webhooks.rotate_signing_secret(\n    "019a7c2e-8c21-7a3b-9d4e-5f6a7b8c9d0e"\n)',
    );
  });

  it("writes TypeScript options in camelCase at every depth, Python dicts as on the wire", () => {
    const typescript = sampleOf("createProvider", "TypeScript");
    expect(typescript).toContain(
      "    finalHop: false,\n  },\n  priority: 0,\n  ratePerSecond: 50,",
    );
    expect(typescript).not.toMatch(/[a-z]_[a-z]/);
    expect(sampleOf("createProvider", "Python")).toContain('"final_hop": False,');
    expect(sampleOf("createDomain", "TypeScript")).toContain("openTracking: true,");
    expect(sampleOf("sendEmailBatch", "TypeScript")).toContain(
      '{ idempotencyKey: "welcome-user/123456789", batchValidation: "strict" },',
    );
    expect(sampleOf("sendEmailBatch", "Python")).toContain('    validation="strict",\n)');
    expect(sampleOf("listSuppressions", "TypeScript")).toContain(
      'await thrive.suppressions.list({ origin: "bounce" });',
    );
    expect(sampleOf("listSuppressions", "Python")).toContain(
      'client.suppressions.list(origin="bounce")',
    );
    expect(sampleOf("listSuppressions", "Shell")).toContain("/suppressions?origin=bounce'");
    expect(sampleOf("batchAddSuppressions", "Python")).toContain("client.suppressions.batch.add(");
    expect(sampleOf("createApiKey", "TypeScript")).toContain("thrive.apiKeys.create(");
    expect(sampleOf("createApiKey", "Python")).toContain("client.api_keys.create(");
  });

  it("handles { data, error } in TypeScript and names the returned model in Python", () => {
    expect(sampleOf("getEmail", "TypeScript")).toBe(
      `${TS_HEADER}
const { data, error } = await thrive.emails.get("019a7c2e-5b7d-7cc1-9f3e-2d1c5b0a9e11");
${TS_ERROR_HANDLING}
  console.log(data);
}`,
    );
    expect(sampleOf("getEmail", "Python")).toContain("from thrive_send.models import Email\n\n");
    expect(sampleOf("getEmail", "Python")).toContain(
      'email: Email = client.emails.get("019a7c2e-5b7d-7cc1-9f3e-2d1c5b0a9e11")\nprint(email)',
    );
    expect(sampleOf("getHealth", "Python")).toContain("health: Health = client.system.health()");
  });

  it("acts as a person signed in where only people may call: no API key, a session", () => {
    const personTs = [
      'import { ThriveSend } from "@thrive-send/sdk";',
      "",
      "// People only, not API keys: a person's client keeps the session of its sign-in.",
      'const thrive = new ThriveSend({ baseUrl: "http://localhost:3000" });',
      'await thrive.auth.signIn({ email: "ada@acme.dev", password: "correct horse battery staple" });',
      "",
    ].join("\n");
    const personPy = [
      "# People only, not API keys: a person's client keeps the session of its sign-in.",
      'client = Client(base_url="http://localhost:3000", session=True)',
      "client.auth.sign_in(",
      '    {"email": "ada@acme.dev", "password": "correct horse battery staple"}',
      ")",
      "",
    ].join("\n");
    // Session-only operations (x-authentication: session) and people-only permissions alike.
    for (const operationId of ["getSession", "listMembers", "createRole", "deleteOrganization"]) {
      expect(sampleOf(operationId, "TypeScript"), operationId).toContain(personTs);
      expect(sampleOf(operationId, "Python"), operationId).toContain(personPy);
      expect(sampleOf(operationId, "Python"), operationId).not.toContain("import os");
      const curl = sampleOf(operationId, "Shell");
      expect(curl, operationId).toMatch(/^# People only .*\ncurl -b cookies.txt -c cookies.txt /);
      expect(curl, operationId).not.toContain("Authorization");
    }
    expect(sampleOf("listRoles", "TypeScript")).toContain(
      "const { data, error } = await thrive.roles.list();",
    );
    expect(sampleOf("listRoles", "Python")).toContain("role_list: RoleList = client.roles.list()");
    // Changes carry the session's CSRF token, read from curl's cookie jar; reads do not.
    expect(sampleOf("updateRole", "Shell")).toContain(
      `-X PATCH 'http://localhost:3000/roles/019a7c2e-ab12-7c3d-8e4f-5a6b7c8d9e0f' \\
  -H "X-CSRF-Token: $(awk '$6 ~ /thrive_csrf$/ {print $7}' cookies.txt)" \\
  -H 'Content-Type: application/json'`,
    );
    expect(sampleOf("listRoles", "Shell")).not.toContain("X-CSRF-Token");
    // API keys keep theirs.
    expect(sampleOf("listApiKeys", "Shell")).toContain(
      '-H "Authorization: Bearer $THRIVE_API_KEY"',
    );
    expect(sampleOf("listApiKeys", "Python")).toContain(PY_CLIENT);
  });

  it("makes a client without a key for what anyone may call; a new session keeps its cookies", () => {
    expect(sampleOf("signIn", "TypeScript")).toContain(
      'const thrive = new ThriveSend({ baseUrl: "http://localhost:3000" });\n\nconst { data, error } = await thrive.auth.signIn({',
    );
    expect(sampleOf("signIn", "Python")).toContain(
      'client = Client(base_url="http://localhost:3000", session=True)\n\nsession: Session = client.auth.sign_in(',
    );
    expect(sampleOf("signIn", "Shell")).toMatch(
      /^curl -b cookies.txt -c cookies.txt -X POST 'http:\/\/localhost:3000\/auth\/sign-in'/,
    );
    expect(sampleOf("acceptInvitation", "Shell")).toContain("-b cookies.txt -c cookies.txt");
    // No session in or out: no cookie jar.
    expect(sampleOf("requestPasswordReset", "Shell")).not.toContain("cookies.txt");
    expect(sampleOf("getHealth", "TypeScript")).toContain(
      'const thrive = new ThriveSend({ baseUrl: "http://localhost:3000" });',
    );
  });

  it("answers a redirect's Location, not a stream (single sign-on's two steps)", () => {
    for (const operationId of ["startOidcSignIn", "finishOidcSignIn"]) {
      const typescript = sampleOf(operationId, "TypeScript");
      expect(typescript).toContain("const { data: url, error } = await thrive.auth.oidc.");
      expect(typescript).toContain("  console.log(url);\n}");
      expect(typescript).not.toContain("for await");
      const python = sampleOf(operationId, "Python");
      expect(python).toMatch(/\nurl = client\.auth\.oidc\.(start|callback)\(/);
      expect(python).toMatch(/\nprint\(url\)$/);
      expect(python).not.toContain("Exported");
      const curl = sampleOf(operationId, "Shell");
      expect(curl).toMatch(
        /^curl -b cookies.txt -c cookies.txt 'http:\/\/localhost:3000\/auth\/oidc\//,
      );
      expect(curl).toMatch(/ -w '%\{redirect_url\}\\n'$/);
    }
    // The provider's iss (RFC 9207) is part of the callback's query.
    expect(sampleOf("finishOidcSignIn", "Python")).toContain('iss="https://idp.acme.dev"');
  });

  it("iterates over streams, and Python's export writes a file", () => {
    expect(sampleOf("streamEvents", "TypeScript")).toContain(
      "const { data: stream, error } = await thrive.events.stream();\n",
    );
    expect(sampleOf("streamEvents", "TypeScript")).toContain(
      "  for await (const event of stream) {\n    console.log(event.type, event.payload);\n  }",
    );
    expect(sampleOf("streamEvents", "Python")).toContain(
      "with client.events.stream() as stream:\n    for event in stream:\n",
    );
    expect(sampleOf("streamEvents", "Shell")).toMatch(/^curl -N /);
    expect(sampleOf("exportEvents", "TypeScript")).toContain(
      'const { data: csv, error } = await thrive.events.export({ format: "csv", tag: "category:welcome" });',
    );
    expect(sampleOf("exportEvents", "TypeScript")).toContain("for await (const line of csv) {");
    expect(sampleOf("exportEvents", "Python")).toContain(
      'path = client.events.export("events.csv", format="csv", tag="category:welcome")',
    );
    expect(sampleOf("getHealth", "Shell")).toBe("curl 'http://localhost:3000/health'");
  });

  it("writes TypeScript that parses", () => {
    const dir = mkdtempSync(join(tmpdir(), "thrive-samples-"));
    try {
      // One module: the samples' common import once, each sample's statements in a block.
      const bodies = operations.map((operation) => {
        const source = sampleOf(operation.operationId ?? "", "TypeScript");
        expect(source.startsWith(TS_IMPORT), operation.operationId).toBe(true);
        return `{\n${source.slice(TS_IMPORT.length)}\n}`;
      });
      const file = join(dir, "samples.mjs");
      writeFileSync(file, `${TS_IMPORT}\n${bodies.join("\n")}\n`);
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

describe("callerOf", () => {
  const both = [{ bearerAuth: [] }, { sessionCookie: [] }];

  it("reads who may call from the security schemes and the permission", () => {
    expect(callerOf({ security: both, "x-permission": "emails:send" })).toBe("api_key");
    expect(callerOf({ security: both, "x-permission": "members:manage" })).toBe("person");
    expect(callerOf({ security: both, "x-permission": "organization:read" })).toBe("person");
    expect(callerOf({ security: [{ sessionCookie: [] }], "x-authentication": "session" })).toBe(
      "person",
    );
    expect(callerOf({ security: [] })).toBe("anyone");
    expect(callerOf({})).toBe("anyone");
  });

  it("finds the sign-in a person's samples start with, and refuses a spec without one", () => {
    expect(signInExample(document)).toEqual({
      email: "ada@acme.dev",
      password: "correct horse battery staple",
    });
    const peopleOnly: OpenApiDocumentLike = {
      paths: {
        "/members": {
          get: {
            operationId: "listMembers",
            security: [{ sessionCookie: [] }],
            responses: { "200": {} },
          },
        },
      },
    };
    expect(signInExample(peopleOnly)).toBeUndefined();
    expect(() => addCodeSamples(peopleOnly)).toThrow(/listMembers is for people.*no signIn/);
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
          description: { type: "string", example: `A long text, ${"and so on, ".repeat(5)}` },
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

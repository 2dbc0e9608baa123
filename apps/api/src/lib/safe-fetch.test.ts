import type { IncomingMessage, ServerResponse } from "node:http";
import { type AddressInfo, createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../test/free-port.ts";
import { startHttpServer, type TestHttpServer } from "../test/http-server.ts";
import { type SafeFetchOptions, safeFetch } from "./safe-fetch.ts";
import { SafeFetchError, type SafeFetchErrorCode } from "./safe-fetch-error.ts";
import { createSsrfGuard } from "./ssrf-guard.ts";

const LOOPBACK = ["127.0.0.0/8"];

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  remotePort: number | undefined;
}

/** Routes of the test server, by path. Every request it gets is recorded in `seen`. */
const seen: Seen[] = [];
let server: TestHttpServer;
let other: TestHttpServer;

function route(request: IncomingMessage, response: ServerResponse, body: string): void {
  const url = new URL(request.url ?? "/", "http://x");
  const redirect = (status: number, location: string) => {
    response.writeHead(status, { location });
    response.end("moved");
  };
  switch (url.pathname) {
    case "/hello":
      response.writeHead(200, { "content-type": "text/plain", "x-answer": "42" });
      response.end("hello");
      return;
    case "/echo":
      response.writeHead(201, { "content-type": "application/json" });
      response.end(JSON.stringify({ method: request.method, body, headers: request.headers }));
      return;
    case "/redirect":
      redirect(Number(url.searchParams.get("status") ?? 302), url.searchParams.get("to") ?? "/");
      return;
    case "/loop":
      redirect(302, "/loop");
      return;
    case "/bytes": {
      const size = Number(url.searchParams.get("n"));
      response.writeHead(200, { "content-length": size });
      response.end(Buffer.alloc(size, 1));
      return;
    }
    case "/chunked":
      // No Content-Length: only counting what is read can stop it.
      response.writeHead(200, { "content-type": "application/octet-stream" });
      for (let i = 0; i < 64; i++) response.write(Buffer.alloc(1024, 2));
      response.end();
      return;
    case "/silent":
      return;
    case "/trickle": {
      response.writeHead(200, { "content-type": "text/plain" });
      const timer = setInterval(() => response.write("."), 20);
      response.on("close", () => clearInterval(timer));
      return;
    }
    case "/cut":
      response.writeHead(200, { "content-length": 1000 });
      response.write("only part of it");
      setTimeout(() => response.destroy(), 20);
      return;
    default:
      response.writeHead(404);
      response.end();
  }
}

async function startRecordingServer(): Promise<TestHttpServer> {
  return startHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString();
      seen.push({
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body,
        remotePort: request.socket.remotePort,
      });
      route(request, response, body);
    });
  });
}

beforeAll(async () => {
  server = await startRecordingServer();
  other = await startRecordingServer();
});

afterAll(async () => {
  await server.close();
  await other.close();
});

async function failure(url: string, options: SafeFetchOptions = {}): Promise<SafeFetchError> {
  const error = await safeFetch(url, options).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SafeFetchError);
  return error as SafeFetchError;
}

async function expectCode(
  url: string,
  code: SafeFetchErrorCode,
  options: SafeFetchOptions = {},
): Promise<SafeFetchError> {
  const error = await failure(url, options);
  expect(error.code).toBe(code);
  return error;
}

/** Runs `act` and answers the requests the test servers received meanwhile. */
async function requestsDuring(act: () => Promise<unknown>): Promise<Seen[]> {
  const before = seen.length;
  await act();
  return seen.slice(before);
}

describe("safeFetch: addresses", () => {
  it("refuses loopback without an allow-list, and sends nothing", async () => {
    const requests = await requestsDuring(async () => {
      const error = await expectCode(`${server.origin}/hello`, "blocked_address");
      expect(error.reason).toBe("loopback: 127.0.0.1");
      // The client's message names no address.
      expect(error.message).not.toMatch(/127|loopback/);
    });
    expect(requests).toEqual([]);
  });

  it("reaches loopback when the allow-list has it: status, headers and body", async () => {
    const response = await safeFetch(`${server.origin}/hello`, { allowList: LOOPBACK });
    expect(response.status).toBe(200);
    expect(response.headers["x-answer"]).toBe("42");
    expect(response.body.toString()).toBe("hello");
    expect(response.url).toBe(`${server.origin}/hello`);
  });

  it.each([
    ["[::ffff:127.0.0.1]", "loopback (ipv4Mapped)"],
    ["[::ffff:7f00:1]", "loopback (ipv4Mapped)"],
    ["[::1]", "loopback"],
    ["0.0.0.0", "unspecified"],
    ["[::]", "unspecified"],
    ["2130706433", "loopback"],
    ["0x7f.1", "loopback"],
    ["169.254.169.254", "linkLocal"],
    ["100.64.0.1", "carrierGradeNat"],
    ["224.0.0.1", "multicast"],
    ["10.0.0.1", "private"],
    ["192.168.0.10", "private"],
    ["[64:ff9b::a00:1]", "private (nat64)"],
    ["[2002:7f00:1::]", "loopback (6to4)"],
    ["[fd00::1]", "uniqueLocal"],
    ["[fe80::1]", "linkLocal"],
    ["198.51.100.1", "documentation"],
  ])("refuses the literal %s (%s)", async (host, reason) => {
    const requests = await requestsDuring(async () => {
      const error = await expectCode(`http://${host}:${server.port}/hello`, "blocked_address", {
        timeoutMs: 1000,
      });
      expect(error.reason?.startsWith(`${reason}: `)).toBe(true);
    });
    expect(requests).toEqual([]);
  });

  it("reaches an IPv4-mapped loopback address when loopback is allowed", async () => {
    const response = await safeFetch(`http://[::ffff:127.0.0.1]:${server.port}/hello`, {
      allowList: LOOPBACK,
    });
    expect(response.body.toString()).toBe("hello");
  });

  it("refuses a host name that resolves to loopback (localhost)", async () => {
    const requests = await requestsDuring(async () => {
      const error = await expectCode(`http://localhost:${server.port}/hello`, "blocked_address");
      expect(error.reason).toMatch(/^loopback: localhost is /);
    });
    expect(requests).toEqual([]);
  });

  it("reaches localhost when all its addresses are allowed", async () => {
    const response = await safeFetch(`http://localhost:${server.port}/hello`, {
      allowList: ["127.0.0.0/8", "::1"],
    });
    expect(response.body.toString()).toBe("hello");
  });

  it("answers connection_failed for a port nobody listens on, and an unknown host", async () => {
    const port = await freePort();
    const refused = await expectCode(`http://127.0.0.1:${port}/`, "connection_failed", {
      allowList: LOOPBACK,
    });
    expect(refused.reason).toBe("ECONNREFUSED");
    const unknown = await expectCode("http://no-such-host.invalid/", "connection_failed");
    expect(unknown.reason).toBe("ENOTFOUND");
  });
});

describe("safeFetch: https", () => {
  it("goes through the guard too, and connects only when allowed", async () => {
    // A TCP server that hangs up at once: enough to see whether a connection was made.
    let connections = 0;
    const tcp = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
    const { port } = tcp.address() as AddressInfo;
    try {
      await expectCode(`https://localhost:${port}/`, "blocked_address");
      expect(connections).toBe(0);
      await expectCode(`https://localhost:${port}/`, "connection_failed", { allowList: LOOPBACK });
      expect(connections).toBe(1);
    } finally {
      await new Promise((resolve) => tcp.close(resolve));
    }
  });
});

describe("safeFetch: URLs", () => {
  it.each([
    "file:///etc/passwd",
    "ftp://example.com/file",
    "gopher://127.0.0.1:70/",
    "data:text/plain,hello",
    "javascript:alert(1)",
    "ws://example.com/",
    "not a url",
    "",
  ])("refuses %j", async (url) => {
    const error = await expectCode(url, "invalid_url", { allowList: LOOPBACK });
    expect(error.message).toBe("The URL must be an http or https URL without credentials");
  });

  it("refuses credentials in the URL, even to an allowed host", async () => {
    const requests = await requestsDuring(async () => {
      await expectCode(`http://user:pass@127.0.0.1:${server.port}/hello`, "invalid_url", {
        allowList: LOOPBACK,
      });
      await expectCode(`http://user@127.0.0.1:${server.port}/hello`, "invalid_url", {
        allowList: LOOPBACK,
      });
    });
    expect(requests).toEqual([]);
  });

  it("answers invalid_request for a header node cannot send", async () => {
    await expectCode(`${server.origin}/echo`, "invalid_request", {
      allowList: LOOPBACK,
      headers: { "x-bad": "line\r\nbreak" },
    });
  });
});

describe("safeFetch: requests", () => {
  it("sends a POST with its headers and body", async () => {
    const response = await safeFetch(`${server.origin}/echo`, {
      allowList: LOOPBACK,
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Signature": "abc" },
      body: '{"type":"email.sent"}',
    });
    expect(response.status).toBe(201);
    const echoed = JSON.parse(response.body.toString());
    expect(echoed.method).toBe("POST");
    expect(echoed.body).toBe('{"type":"email.sent"}');
    expect(echoed.headers["content-type"]).toBe("application/json");
    expect(echoed.headers["x-signature"]).toBe("abc");
    expect(echoed.headers["content-length"]).toBe("21");
  });

  it("reuses connections through a keep-alive guard, and closes them", async () => {
    const guard = createSsrfGuard({ allowList: LOOPBACK, keepAlive: true });
    const requests = await requestsDuring(async () => {
      await safeFetch(`${server.origin}/hello`, { guard });
      await safeFetch(`${server.origin}/hello`, { guard });
    });
    expect(requests[0]?.remotePort).toBe(requests[1]?.remotePort);
    guard.close();
    const after = await requestsDuring(() => safeFetch(`${server.origin}/hello`, { guard }));
    expect(after[0]?.remotePort).not.toBe(requests[0]?.remotePort);
    guard.close();
  });
});

describe("safeFetch: redirects", () => {
  it("returns a 3xx as it is by default", async () => {
    const requests = await requestsDuring(async () => {
      const response = await safeFetch(`${server.origin}/redirect?to=/hello`, {
        allowList: LOOPBACK,
      });
      expect(response.status).toBe(302);
      expect(response.headers.location).toBe("/hello");
      expect(response.body.toString()).toBe("moved");
    });
    expect(requests.map((request) => request.url)).toEqual(["/redirect?to=/hello"]);
  });

  it("follows redirects when asked, and tells the URL that answered", async () => {
    const to = encodeURIComponent(`${other.origin}/hello`);
    const response = await safeFetch(`${server.origin}/redirect?status=301&to=${to}`, {
      allowList: LOOPBACK,
      maxRedirects: 2,
    });
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe("hello");
    expect(response.url).toBe(`${other.origin}/hello`);
  });

  it("refuses a redirect from an allowed server to a refused address", async () => {
    for (const target of ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/"]) {
      const to = encodeURIComponent(target);
      const error = await expectCode(`${server.origin}/redirect?to=${to}`, "blocked_address", {
        allowList: ["127.0.0.1/32"],
        maxRedirects: 3,
      });
      expect(error.reason).toMatch(/^(linkLocal|private): /);
    }
  });

  it("refuses a redirect to another loopback address than the one allowed", async () => {
    const to = encodeURIComponent(`http://127.0.0.2:${server.port}/hello`);
    const error = await expectCode(`${server.origin}/redirect?to=${to}`, "blocked_address", {
      allowList: ["127.0.0.1/32"],
      maxRedirects: 3,
    });
    expect(error.reason).toBe("loopback: 127.0.0.2");
  });

  it("refuses a redirect to another scheme or to credentials", async () => {
    for (const target of ["file:///etc/passwd", `http://u:p@127.0.0.1:${server.port}/hello`]) {
      const to = encodeURIComponent(target);
      await expectCode(`${server.origin}/redirect?to=${to}`, "invalid_url", {
        allowList: LOOPBACK,
        maxRedirects: 3,
      });
    }
  });

  it("stops after maxRedirects", async () => {
    const requests = await requestsDuring(async () => {
      const error = await expectCode(`${server.origin}/loop`, "too_many_redirects", {
        allowList: LOOPBACK,
        maxRedirects: 2,
      });
      expect(error.status).toBe(302);
    });
    expect(requests).toHaveLength(3);
  });

  it("turns a POST into a GET on 303, keeps it on 307", async () => {
    const post = {
      allowList: LOOPBACK,
      maxRedirects: 1,
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "payload",
    } as const;
    const seeOther = await safeFetch(`${server.origin}/redirect?status=303&to=/echo`, post);
    expect(JSON.parse(seeOther.body.toString())).toMatchObject({ method: "GET", body: "" });
    expect(JSON.parse(seeOther.body.toString()).headers["content-type"]).toBeUndefined();
    const temporary = await safeFetch(`${server.origin}/redirect?status=307&to=/echo`, post);
    expect(JSON.parse(temporary.body.toString())).toMatchObject({
      method: "POST",
      body: "payload",
    });
  });

  it("drops credentials headers on a redirect to another origin only", async () => {
    const headers = { authorization: "Bearer secret", "x-other": "kept" };
    const options = { allowList: LOOPBACK, maxRedirects: 1, headers };
    const same = await safeFetch(`${server.origin}/redirect?to=/echo`, options);
    expect(JSON.parse(same.body.toString()).headers.authorization).toBe("Bearer secret");
    const to = encodeURIComponent(`${other.origin}/echo`);
    const cross = await safeFetch(`${server.origin}/redirect?to=${to}`, options);
    const crossHeaders = JSON.parse(cross.body.toString()).headers;
    expect(crossHeaders.authorization).toBeUndefined();
    expect(crossHeaders["x-other"]).toBe("kept");
  });
});

describe("safeFetch: limits", () => {
  it("takes a body of exactly maxBytes", async () => {
    const response = await safeFetch(`${server.origin}/bytes?n=1000`, {
      allowList: LOOPBACK,
      maxBytes: 1000,
    });
    expect(response.body.length).toBe(1000);
  });

  it("refuses a body declared larger than maxBytes", async () => {
    const error = await expectCode(`${server.origin}/bytes?n=1001`, "too_large", {
      allowList: LOOPBACK,
      maxBytes: 1000,
    });
    expect(error.reason).toBe("Content-Length 1001");
  });

  it("stops reading a body without Content-Length past maxBytes", async () => {
    const error = await expectCode(`${server.origin}/chunked`, "too_large", {
      allowList: LOOPBACK,
      maxBytes: 10_000,
    });
    expect(error.reason).toBe("over 10000 bytes");
  });

  it("keeps the first maxBytes of a longer body when asked to truncate", async () => {
    const declared = await safeFetch(`${server.origin}/bytes?n=5000`, {
      allowList: LOOPBACK,
      maxBytes: 1000,
      truncate: true,
    });
    expect(declared.status).toBe(200);
    expect(declared.body).toEqual(Buffer.alloc(1000, 1));
    const streamed = await safeFetch(`${server.origin}/chunked`, {
      allowList: LOOPBACK,
      maxBytes: 1500,
      truncate: true,
    });
    expect(streamed.body).toEqual(Buffer.alloc(1500, 2));
    const short = await safeFetch(`${server.origin}/hello`, {
      allowList: LOOPBACK,
      maxBytes: 1000,
      truncate: true,
    });
    expect(short.body.toString()).toBe("hello");
  });

  it("times out on a server that never answers", async () => {
    const started = performance.now();
    await expectCode(`${server.origin}/silent`, "timeout", { allowList: LOOPBACK, timeoutMs: 200 });
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("times out on a server that trickles its body forever", async () => {
    const started = performance.now();
    await expectCode(`${server.origin}/trickle`, "timeout", {
      allowList: LOOPBACK,
      timeoutMs: 300,
    });
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("answers connection_failed for a response cut short", async () => {
    await expectCode(`${server.origin}/cut`, "connection_failed", { allowList: LOOPBACK });
  });
});

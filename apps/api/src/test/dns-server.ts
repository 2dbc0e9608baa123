import { isIPv4, isIPv6, Socket } from "node:net";
import dns2, { type DnsHandler, type Resource } from "dns2";

const { Packet, TCPServer, UDPServer } = dns2;

/** The record types the test server can publish. */
export type TestRecordType = "A" | "AAAA" | "CNAME" | "MX" | "TXT";

export interface TestMxRecord {
  exchange: string;
  priority: number;
}

/**
 * What `set` takes per type. A TXT value given as a string is split into 255-byte
 * character-strings as a real zone does; an array gives the character-strings explicitly.
 */
export interface TestRecordValues {
  A: string[];
  AAAA: string[];
  CNAME: [string];
  MX: TestMxRecord[];
  TXT: (string | string[])[];
}

/** How a query is made to fail: an error answer, or no answer at all. */
export type TestDnsFailure = "SERVFAIL" | "REFUSED" | "timeout";

export interface TestDnsQuery {
  name: string;
  /** The type's mnemonic ("TXT"), or its number for types the server does not know. */
  type: string;
  transport: "udp" | "tcp";
}

export interface TestDnsServer {
  port: number;
  /** "127.0.0.1:PORT", the form DNS_SERVERS and Resolver.setServers take. */
  address: string;
  /** Replaces the name's records of that type. */
  set<T extends TestRecordType>(
    name: string,
    type: T,
    values: TestRecordValues[T],
    options?: { ttl?: number },
  ): void;
  /** Removes the name's records of one type, or all of them. */
  remove(name: string, type?: TestRecordType): void;
  /** The next `times` queries for the name, of any type, fail this way; 0 cancels. */
  failNext(name: string, failure: TestDnsFailure, times?: number): void;
  /** Every query received, in order: what retries and fallbacks really asked. */
  readonly queries: readonly TestDnsQuery[];
  close(): Promise<void>;
}

const TYPE_CODES: Record<TestRecordType, number> = {
  A: Packet.TYPE.A,
  AAAA: Packet.TYPE.AAAA,
  CNAME: Packet.TYPE.CNAME,
  MX: Packet.TYPE.MX,
  TXT: Packet.TYPE.TXT,
};
const TYPE_NAMES = new Map(Object.entries(TYPE_CODES).map(([name, code]) => [code, name]));
const MAX_CHARACTER_STRING = 255;
// A CNAME loop in a test's zone must end, as real resolvers end it.
const MAX_CNAME_CHAIN = 8;

/** The record data as dns2 encodes it, without the name, class and TTL. */
type RecordData = Partial<Resource>;

interface RecordSet {
  ttl: number;
  data: RecordData[];
}

/**
 * A real DNS server on 127.0.0.1 for tests, over UDP and TCP on the same port (resolvers retry
 * a truncated UDP answer over TCP). It answers from the records the test sets, as an
 * authoritative server of every name would: NXDOMAIN for a name it has nothing at or below,
 * NODATA for a name without records of the asked type, CNAMEs followed within its data.
 */
export async function startDnsServer(): Promise<TestDnsServer> {
  const zone = new Map<string, Map<TestRecordType, RecordSet>>();
  const failures = new Map<string, { failure: TestDnsFailure; remaining: number }>();
  const queries: TestDnsQuery[] = [];

  const handle: DnsHandler = (request, send, client) => {
    const question = request.questions[0];
    const response = Packet.createResponseFromRequest(request);
    response.header.aa = 1;
    response.header.ra = 1;
    if (!question || request.header.opcode !== 0) {
      response.header.rcode = question ? Packet.RCODE.NOTIMP : Packet.RCODE.FORMERR;
      reply(send, response);
      return;
    }
    const name = normalizeName(question.name);
    queries.push({
      name,
      type: TYPE_NAMES.get(question.type) ?? String(question.type),
      transport: client instanceof Socket ? "tcp" : "udp",
    });

    const failure = takeFailure(failures, name);
    if (failure === "timeout") return;
    if (failure) {
      response.header.rcode = Packet.RCODE[failure];
    } else {
      const answer = lookUp(zone, name, question.type);
      response.header.rcode = answer.exists ? Packet.RCODE.NOERROR : Packet.RCODE.NXDOMAIN;
      response.answers = answer.records;
    }
    reply(send, response);
  };

  const { udp, tcp, port } = await listenOnOnePort(handle);
  // Resolvers keep TCP connections open for reuse; close() must not wait for them to idle out.
  const connections = new Set<Socket>();
  tcp.on("connection", (socket: Socket) => {
    connections.add(socket);
    socket.once("close", () => connections.delete(socket));
  });

  return {
    port,
    address: `127.0.0.1:${port}`,
    queries,
    set(name, type, values, options = {}) {
      const key = normalizeName(name);
      const records = zone.get(key) ?? new Map<TestRecordType, RecordSet>();
      const hasOthers = [...records.keys()].some((existing) => existing !== type);
      if ((type === "CNAME" && hasOthers) || (type !== "CNAME" && records.has("CNAME"))) {
        throw new Error(`test DNS: ${key} cannot have a CNAME and other records`);
      }
      records.set(type, { ttl: options.ttl ?? 0, data: values.map((v) => recordData(type, v)) });
      zone.set(key, records);
    },
    remove(name, type) {
      const key = normalizeName(name);
      const records = zone.get(key);
      if (type) records?.delete(type);
      if (!type || records?.size === 0) zone.delete(key);
    },
    failNext(name, failure, times = 1) {
      if (times > 0) failures.set(normalizeName(name), { failure, remaining: times });
      else failures.delete(normalizeName(name));
    },
    async close() {
      for (const socket of connections) socket.destroy();
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
      ]);
    },
  };
}

/**
 * Sends an answer to a client that may have given up and gone. dns2's UDP `send` returns a
 * promise and its TCP `send` returns nothing, whatever its type says.
 */
function reply(send: Parameters<DnsHandler>[1], response: Parameters<typeof send>[0]): void {
  Promise.resolve()
    .then(() => send(response))
    .catch(() => {});
}

function normalizeName(name: string): string {
  return name.toLowerCase().replace(/\.$/, "");
}

function takeFailure(
  failures: Map<string, { failure: TestDnsFailure; remaining: number }>,
  name: string,
): TestDnsFailure | undefined {
  const pending = failures.get(name);
  if (!pending) return undefined;
  pending.remaining -= 1;
  if (pending.remaining <= 0) failures.delete(name);
  return pending.failure;
}

function recordData(
  type: TestRecordType,
  value: TestRecordValues[TestRecordType][number],
): RecordData {
  switch (type) {
    case "A":
    case "AAAA": {
      const valid = type === "A" ? isIPv4(String(value)) : isIPv6(String(value));
      if (!valid) throw new Error(`test DNS: ${String(value)} is not an ${type} address`);
      return { address: String(value) };
    }
    case "CNAME":
      return { domain: normalizeName(String(value)) };
    case "MX": {
      const { exchange, priority } = value as TestMxRecord;
      return { exchange: normalizeName(exchange), priority };
    }
    case "TXT":
      return { data: characterStrings(value as string | string[]) };
  }
}

/**
 * A TXT value as the character-strings of its RDATA, none longer than 255 bytes. A long value is
 * cut at 255 bytes, or just before, so that a UTF-8 character is never split in two.
 */
function characterStrings(value: string | string[]): string[] {
  if (Array.isArray(value)) {
    for (const chunk of value) {
      if (Buffer.byteLength(chunk) > MAX_CHARACTER_STRING) {
        throw new Error("test DNS: a TXT character-string is at most 255 bytes");
      }
    }
    return value;
  }
  const chunks: string[] = [];
  let chunk = "";
  for (const character of value) {
    if (Buffer.byteLength(chunk + character) > MAX_CHARACTER_STRING) {
      chunks.push(chunk);
      chunk = "";
    }
    chunk += character;
  }
  // An empty TXT value is one empty character-string, not no RDATA at all.
  chunks.push(chunk);
  return chunks;
}

/** The answer records for a question, following CNAMEs, and whether the last name exists. */
function lookUp(
  zone: Map<string, Map<TestRecordType, RecordSet>>,
  name: string,
  typeCode: number,
): { exists: boolean; records: Resource[] } {
  const type = TYPE_NAMES.get(typeCode) as TestRecordType | undefined;
  const records: Resource[] = [];
  let current = name;
  for (let step = 0; step < MAX_CNAME_CHAIN; step++) {
    const rrsets = zone.get(current);
    const wanted = type ? rrsets?.get(type) : undefined;
    const alias = rrsets?.get("CNAME");
    if (wanted) {
      records.push(...resources(current, typeCode, wanted));
      return { exists: true, records };
    }
    if (!alias || type === "CNAME") break;
    records.push(...resources(current, Packet.TYPE.CNAME, alias));
    current = String(alias.data[0]?.domain);
  }
  return { exists: nameExists(zone, current), records };
}

/** A name exists when it has records, or names below it do (an empty non-terminal). */
function nameExists(zone: Map<string, unknown>, name: string): boolean {
  if (zone.has(name)) return true;
  const suffix = `.${name}`;
  for (const known of zone.keys()) if (known.endsWith(suffix)) return true;
  return false;
}

function resources(name: string, type: number, set: RecordSet): Resource[] {
  return set.data.map(
    (data) => ({ name, type, class: Packet.CLASS.IN, ttl: set.ttl, ...data }) as Resource,
  );
}

/**
 * UDP and TCP servers on one free port. The port the kernel picks for UDP may be taken for
 * TCP, so a clash is retried on another port.
 */
async function listenOnOnePort(handle: DnsHandler): Promise<{
  udp: InstanceType<typeof UDPServer>;
  tcp: InstanceType<typeof TCPServer>;
  port: number;
}> {
  for (let attempt = 0; ; attempt++) {
    const udp = new UDPServer(handle);
    udp.on("error", () => {
      // A reply to a client that went away; nothing for the test to see.
    });
    await udp.listen(0, "127.0.0.1");
    const port = udp.address().port;
    const tcp = new TCPServer(handle);
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once("error", reject);
        tcp.listen(port, "127.0.0.1", () => resolve());
      });
      tcp.on("error", () => {});
      return { udp, tcp, port };
    } catch (error) {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      if (attempt >= 10) throw error;
    }
  }
}

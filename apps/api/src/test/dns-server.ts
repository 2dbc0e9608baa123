import { createSocket } from "node:dgram";
import type { AddressInfo } from "node:net";
import dnsPacket from "dns-packet";

export interface TestDnsServer {
  /** `127.0.0.1:<port>`, for a `dns.Resolver`'s setServers. */
  address: string;
  /** Queries answered so far, as `A name` / `AAAA name`. */
  queries: string[];
  close(): Promise<void>;
}

/**
 * A real DNS server over UDP on loopback: `answer(type, name)` gives the addresses of each
 * query (A or AAAA), with a TTL of 0 so that every lookup asks again.
 */
export async function startDnsServer(
  answer: (type: "A" | "AAAA", name: string) => string[],
): Promise<TestDnsServer> {
  const socket = createSocket("udp4");
  const queries: string[] = [];
  socket.on("message", (message, peer) => {
    const query = dnsPacket.decode(message);
    const question = query.questions?.[0];
    if (!question) return;
    const type = question.type === "AAAA" ? "AAAA" : "A";
    queries.push(`${type} ${question.name}`);
    const reply = dnsPacket.encode({
      type: "response",
      id: query.id,
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
      questions: [question],
      answers: answer(type, question.name).map((data) => ({
        type,
        class: "IN",
        name: question.name,
        ttl: 0,
        data,
      })),
    });
    socket.send(reply, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const { port } = socket.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

// A component that asks the client (elicitation, sampling) during a 2026-07-28 tools/call: the
// call answers input_required, the v2 client answers and retries, and the replayed call finishes
// with the answer; over HTTP (also when another server on the store takes the retry) and stdio.
import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { Client as ModernClient } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlock, connectModernHttp, connectModernStdio, fixture, serveHttp, tempHome, type TempHome } from "./helpers/airlock.js";
import { verifies } from "./requirements/requirements.js";

const MODERN = "2026-07-28";
const ANSWER = { action: "accept", content: { username: "ada", email: "ada@example.com" } } as const;
const COMPLETED = 'Elicitation completed: action=accept, content={"username":"ada","email":"ada@example.com"}';

let home: TempHome;
let server: Awaited<ReturnType<typeof serveHttp>>;

beforeAll(async () => {
  home = await tempHome();
  expect((await airlock(home, "load", fixture("mcp-conformance"))).code).toBe(0);
  server = await serveHttp(home);
});
afterAll(async () => {
  server?.stop();
  await home?.cleanup();
});

type Result = { content: { type: string; text?: string }[]; isError?: boolean };
const textOf = (result: unknown) => (result as Result).content.map((c) => c.text ?? "").join("\n");

/** A client that answers every elicitation with ANSWER (and, if it declared sampling, every sampling request with a fixed text), counting them. */
function answering(client: ModernClient, sampling = false): { asked: string[] } {
  const asked: string[] = [];
  client.setRequestHandler("elicitation/create", (request) => {
    asked.push(request.params.message);
    return ANSWER;
  });
  if (sampling) {
    client.setRequestHandler("sampling/createMessage", () => {
      asked.push("sampling");
      return { model: "test-model", role: "assistant", content: { type: "text", text: "forty-two" } };
    });
  }
  return { asked };
}

/** A raw 2026-07-28 tools/call, for what the SDK's client would never send. */
async function rawCall(id: number, params: Record<string, unknown>, capabilities: Record<string, unknown> = { elicitation: {} }) {
  const response = await fetch(server.url, {
    method: "POST",
    body: JSON.stringify({
      jsonrpc: "2.0",
      id,
      method: "tools/call",
      params: { ...params, _meta: { "io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": capabilities } },
    }),
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      authorization: `Bearer ${server.token}`,
      "mcp-protocol-version": MODERN,
      "mcp-method": "tools/call",
      "mcp-name": String(params.name),
    },
  });
  const body = (await response.json()) as {
    result?: { resultType?: string; requestState?: string; inputRequests?: Record<string, { method: string }> };
    error?: { code: number; message: string; data?: { requiredCapabilities?: Record<string, unknown> } };
  };
  return { ...body, status: response.status };
}

describe("multi-round-trip requests over HTTP", () => {
  it("answers input_required for an elicitation, and the retried call finishes with the answer", async () => {
    verifies("mcp26:mrtr", "mcp:client:elicitation");
    const client = await connectModernHttp(server.url, server.token, { capabilities: { elicitation: {}, sampling: {} } });
    const { asked } = answering(client, true);
    try {
      const result = await client.callTool({ name: "test_elicitation", arguments: { message: "Who are you?" } });
      expect(textOf(result)).toBe(COMPLETED);
      expect(asked).toEqual(["Who are you?"]);
      const sampled = await client.callTool({ name: "test_sampling", arguments: { prompt: "meaning?" } });
      expect(textOf(sampled)).toBe("LLM response: forty-two");
    } finally {
      await client.close();
    }
    // The key that signs requestState: the store's, owner-only.
    expect((await stat(join(home.dir, "mrtr-key"))).mode & 0o777).toBe(0o600);
  });

  it("asks in the first round what the retry must answer: one question, keyed, with signed state", async () => {
    verifies("mcp26:mrtr");
    const first = await rawCall(1, { name: "test_elicitation", arguments: { message: "Who?" } });
    expect(first.result?.resultType).toBe("input_required");
    expect(first.result?.inputRequests).toEqual({ q1: expect.objectContaining({ method: "elicitation/create" }) as unknown });
    expect(first.result?.requestState).toMatch(/^v1\./);
  });

  it("refuses a requestState that was tampered with, or minted for other arguments", async () => {
    verifies("mcp26:mrtr");
    const first = await rawCall(2, { name: "test_elicitation", arguments: { message: "Who?" } });
    const state = first.result!.requestState!;
    const tampered = `${state.slice(0, -2)}${state.endsWith("AA") ? "BB" : "AA"}`;
    const forged = await rawCall(3, { name: "test_elicitation", arguments: { message: "Who?" }, inputResponses: { q1: ANSWER }, requestState: tampered });
    expect(forged.error?.code).toBe(-32602);
    expect(forged.error?.message).toMatch(/requestState/);
    const elsewhere = await rawCall(4, { name: "test_elicitation", arguments: { message: "Someone else?" }, inputResponses: { q1: ANSWER }, requestState: state });
    expect(elsewhere.error?.code).toBe(-32602);
    const honest = await rawCall(5, { name: "test_elicitation", arguments: { message: "Who?" }, inputResponses: { q1: ANSWER }, requestState: state });
    expect(honest.result?.resultType).toBe("complete");
  });

  it("never asks a client for what it did not declare: the call is refused with -32021 (HTTP 400)", async () => {
    verifies("mcp26:mrtr");
    const refused = await rawCall(6, { name: "test_elicitation", arguments: { message: "Who?" } }, { sampling: {} });
    expect(refused.status).toBe(400);
    expect(refused.error?.code).toBe(-32021);
    expect(refused.error?.data?.requiredCapabilities).toEqual({ elicitation: {} });
    const client = await connectModernHttp(server.url, server.token);
    try {
      await expect(client.callTool({ name: "test_elicitation", arguments: { message: "Who?" } })).rejects.toThrow(/elicitation/);
    } finally {
      await client.close();
    }
  });

  it("finishes a call whose retry another server on the same store takes", async () => {
    verifies("mcp26:stateless", "mcp26:mrtr");
    const second = await serveHttp(home);
    try {
      const urls = [server.url, second.url];
      const calls: string[] = [];
      let next = 0;
      const roundRobin: typeof fetch = (_input, init) => {
        const url = urls[next++ % urls.length]!;
        if (typeof init?.body === "string" && init.body.includes('"tools/call"')) calls.push(url);
        return fetch(url, init);
      };
      const client = await connectModernHttp(server.url, server.token, { capabilities: { elicitation: {} }, fetch: roundRobin });
      answering(client);
      try {
        expect(textOf(await client.callTool({ name: "test_elicitation", arguments: { message: "Who?" } }))).toBe(COMPLETED);
      } finally {
        await client.close();
      }
      // The question came from one server and the answer went to the other.
      expect(new Set(calls)).toEqual(new Set(urls));
    } finally {
      second.stop();
    }
  });
});

describe("multi-round-trip requests over stdio", () => {
  it("answers input_required for an elicitation, and the retried call finishes with the answer", async () => {
    verifies("mcp26:mrtr");
    const client = await connectModernStdio(home, { capabilities: { elicitation: {} } });
    const { asked } = answering(client);
    try {
      expect(textOf(await client.callTool({ name: "test_elicitation", arguments: { message: "Who, on stdio?" } }))).toBe(COMPLETED);
      expect(asked).toEqual(["Who, on stdio?"]);
    } finally {
      await client.close();
    }
  });
});

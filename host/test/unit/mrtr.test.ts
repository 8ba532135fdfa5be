// Replaying a 2026-07-28 call that asks the client more than once: each round answers the earlier
// questions from the signed requestState and this round's answer from inputResponses, asks the
// next one, asks again when the component's question changed, and stops after the cap.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { InputRequiredResult, ServerContext } from "@modelcontextprotocol/server";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_CLIENT_REQUESTS_PER_CALL } from "../../src/mcp/client-requests.js";
import { Replay } from "../../src/mcp/mrtr.js";

const home = await mkdtemp(join(tmpdir(), "airlock-mrtr-"));
afterAll(() => rm(home, { recursive: true, force: true }));

/** The request context of one round: the state and answer the client sent back. */
const round = (requestState?: string, inputResponses?: Record<string, unknown>) =>
  ({
    mcpReq: {
      method: "tools/call",
      requestState: () => requestState,
      inputResponses,
      envelope: { "io.modelcontextprotocol/clientCapabilities": { elicitation: {} } },
    },
  }) as unknown as ServerContext;

const STOPPED = Symbol("stopped");
const ask = (message: string) => JSON.stringify({ message, requestedSchema: { type: "object", properties: { name: { type: "string" } } } });
const accept = (name: string) => ({ action: "accept", content: { name } });

/** A component asking `questions` in turn; it ends with the names answered, or stops at a question. */
async function component(replay: Replay, questions: string[]): Promise<string[] | typeof STOPPED> {
  const names: string[] = [];
  const stopped = new Promise<typeof STOPPED>((resolve) => replay.signal.addEventListener("abort", () => resolve(STOPPED)));
  for (const question of questions) {
    const answer = await Promise.race([replay.ask("elicitation/create", ask(question)), stopped]);
    if (answer === STOPPED) return STOPPED;
    names.push((JSON.parse(answer) as { content: { name: string } }).content.name);
  }
  return names;
}

async function play(ctx: ServerContext, questions: string[], args: unknown = { x: 1 }) {
  const replay = await Replay.start(ctx, home, "greet", args);
  const ran = await component(replay, questions);
  return { ran, asked: (await replay.inputRequired()) as (InputRequiredResult & { requestState: string; inputRequests: Record<string, { params: { message: string } }> }) | undefined };
}

describe("Replay", () => {
  it("asks two questions over three rounds, answering earlier ones from the signed state", async () => {
    const first = await play(round(), ["first?", "second?"]);
    expect(first.ran).toBe(STOPPED);
    expect(Object.keys(first.asked!.inputRequests)).toEqual(["q1"]);
    const second = await play(round(first.asked!.requestState, { q1: accept("ada") }), ["first?", "second?"]);
    expect(second.ran).toBe(STOPPED);
    expect(second.asked!.inputRequests.q2!.params.message).toBe("second?");
    const third = await play(round(second.asked!.requestState, { q2: accept("bo") }), ["first?", "second?"]);
    expect(third.ran).toEqual(["ada", "bo"]);
    expect(third.asked).toBeUndefined();
  });

  it("asks again when the component asks something else than the answer was for", async () => {
    const first = await play(round(), ["first?"]);
    const changed = await play(round(first.asked!.requestState, { q1: accept("ada") }), ["another?"]);
    expect(changed.ran).toBe(STOPPED);
    expect(changed.asked!.inputRequests.q1!.params.message).toBe("another?");
  });

  it("refuses state minted for other arguments", async () => {
    const first = await play(round(), ["first?"], { x: 1 });
    await expect(play(round(first.asked!.requestState, { q1: accept("ada") }), ["first?"], { x: 2 })).rejects.toThrow(/requestState is not one this server made/);
  });

  it(`gives up after ${MAX_CLIENT_REQUESTS_PER_CALL} rounds without an answer`, async () => {
    let state: string | undefined;
    for (let i = 0; i < MAX_CLIENT_REQUESTS_PER_CALL; i++) state = (await play(round(state), ["first?"])).asked!.requestState;
    const replay = await Replay.start(round(state), home, "greet", { x: 1 });
    await expect(replay.ask("elicitation/create", ask("first?"))).rejects.toThrow(`at most ${MAX_CLIENT_REQUESTS_PER_CALL} times`);
  });
});

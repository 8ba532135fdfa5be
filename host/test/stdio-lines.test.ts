// CheckedLines, the line check in front of the SDK's stdio transport: lines split across and within
// chunks, bad lines answered and dropped, an overlong line dropped without losing the next one.
import { describe, expect, it } from "vitest";
import type { EdgeError } from "../src/mcp/protocol-edge.js";
import { CheckedLines } from "../src/mcp/stdio-transport.js";

/** Feeds `chunks` through a CheckedLines; resolves with the lines let through and the answers. */
async function feed(chunks: string[], maxLine?: number): Promise<{ passed: string; answers: EdgeError[] }> {
  const answers: EdgeError[] = [];
  const lines = new CheckedLines((error) => answers.push(error), maxLine);
  let passed = "";
  lines.on("data", (chunk: Buffer) => (passed += chunk.toString()));
  const ended = new Promise((resolve) => lines.on("end", resolve));
  for (const chunk of chunks) lines.write(Buffer.from(chunk));
  lines.end();
  await ended;
  return { passed, answers };
}

const ping = (id: number) => JSON.stringify({ jsonrpc: "2.0", id, method: "ping" });

describe("CheckedLines", () => {
  it("lets JSON-RPC messages through unchanged, whatever the chunking", async () => {
    const text = `${ping(1)}\n${ping(2)}\r\n${ping(3)}\n`;
    const whole = await feed([text]);
    const byByte = await feed([...text]);
    expect(whole).toEqual({ passed: text, answers: [] });
    expect(byByte).toEqual(whole);
  });

  it("answers a bad line and drops it, keeping the lines around it", async () => {
    const { passed, answers } = await feed([`${ping(1)}\n{oops\n`, `[1]\n\n  \n${ping(2)}\n`]);
    expect(passed).toBe(`${ping(1)}\n${ping(2)}\n`);
    expect(answers.map((a) => [a.id, a.error.code])).toEqual([
      [null, -32700],
      [null, -32600],
    ]);
  });

  it("drops a line longer than the limit, answering once, and serves the next line", async () => {
    const long = `{"jsonrpc":"2.0","id":9,"method":"ping","params":{"pad":"${"x".repeat(200)}"}}`;
    const { passed, answers } = await feed([long.slice(0, 50), long.slice(50), `\n${ping(2)}\n`], 100);
    expect(passed).toBe(`${ping(2)}\n`);
    expect(answers).toEqual([{ jsonrpc: "2.0", id: null, error: { code: -32600, message: "invalid request: a message longer than 100 bytes was dropped" } }]);
  });

  it("leaves an unfinished last line alone, as the SDK does", async () => {
    expect(await feed([`${ping(1)}\n${ping(2)}`])).toEqual({ passed: `${ping(1)}\n`, answers: [] });
  });
});

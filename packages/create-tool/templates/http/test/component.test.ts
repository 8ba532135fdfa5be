// The built component (dist/{{name}}.wasm, made by `pnpm build`) in the engine that runs it,
// through the real host and an MCP client, against a page served on 127.0.0.1.
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { loadTool, ToolCallError, type LoadedTool } from "@airlock/tool-build/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let server: Server;
let origin: string;
let tool: LoadedTool;
beforeAll(async () => {
  server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<title>Tea &amp; cake</title><p>menu</p>"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const host = `127.0.0.1:${(server.address() as { port: number }).port}`;
  origin = `http://${host}`;
  tool = await loadTool(join(import.meta.dirname, "..", "dist", "{{name}}.wasm"), { grants: { network: [host] } });
}, 120_000);
afterAll(async () => {
  await tool?.close();
  server?.close();
});

describe("the built {{name}} component", () => {
  it("reads a page's title from a granted host", async () => {
    expect(await tool.call("{{function}}", { url: `${origin}/menu` })).toMatchObject({ url: `${origin}/menu`, status: 200, title: "Tea & cake" });
  }, 120_000);

  it("is denied a host that is not granted, and the host names the grant that would allow it", async () => {
    const failed = await tool.call("{{function}}", { url: "http://not-granted.example/" }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ToolCallError);
    expect((failed as ToolCallError).message).toContain("grant {{name}} network not-granted.example");
  }, 120_000);
});

// The baseline for the benchmark: a plain Node MCP server running the same tool code natively,
// with no sandbox: the grammar checker's, the fetcher's and the file reader's TypeScript sources,
// and an echo.
// Bundled with esbuild by compare.mjs; stdio by default, Streamable HTTP with --http PORT.
import { createServer } from "node:http";
// @ts-expect-error -- embedded as text by the bundler, as the component build does
import aff from "../../tools/grammar-checker/node_modules/dictionary-en/index.aff";
// @ts-expect-error -- embedded as text by the bundler
import dic from "../../tools/grammar-checker/node_modules/dictionary-en/index.dic";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { createChecker } from "../../tools/grammar-checker/src/checker.js";
import { fetchPage } from "../../tools/fetcher/src/fetch-page.js";
import { readFile } from "../../tools/file-reader/src/reader.js";
import { nodeFileSystem } from "../../tools/file-reader/test/node-file-system.js";

/** The fetcher's GET on Node's fetch(), as the component's is on wasi:http. */
async function nativeGet(url: URL, headers: Record<string, string>) {
  const response = await fetch(url, { redirect: "manual", headers });
  return {
    status: response.status,
    header: (name: string) => response.headers.get(name) ?? undefined,
    body: async (maxBytes: number) => {
      const bytes = new Uint8Array(await response.arrayBuffer());
      return bytes.length > maxBytes ? undefined : bytes;
    },
  };
}

const check = createChecker({ aff: aff as string, dic: dic as string });
const tools = [
  { name: "check-grammar", description: "native grammar checker", inputSchema: { type: "object" as const, properties: { text: { type: "string" } }, required: ["text"] } },
  { name: "echo-string", description: "echo", inputSchema: { type: "object" as const, properties: { x: { type: "string" } }, required: ["x"] } },
  { name: "fetch", description: "native fetch", inputSchema: { type: "object" as const, properties: { url: { type: "string" } }, required: ["url"] } },
  { name: "read-file", description: "native file reader", inputSchema: { type: "object" as const, properties: { path: { type: "string" } }, required: ["path"] } },
];

function createMcpServer(): Server {
  const server = new Server({ name: "native", version: "0" }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const args = request.params.arguments as Record<string, string>;
    let result: unknown;
    if (request.params.name === "check-grammar") result = check(args.text!);
    else if (request.params.name === "echo-string") result = args.x;
    else if (request.params.name === "read-file") result = readFile(nodeFileSystem, args.path!);
    else result = await fetchPage(nativeGet, args.url!);
    return { content: [{ type: "text", text: JSON.stringify(result) }], structuredContent: { result } };
  });
  return server;
}

const httpIndex = process.argv.indexOf("--http");
if (httpIndex === -1) {
  await createMcpServer().connect(new StdioServerTransport());
} else {
  const httpServer = createServer(async (req, res) => {
    if (req.method !== "POST") {
      res.writeHead(405).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const server = createMcpServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on("close", () => void server.close());
    await server.connect(transport);
    await transport.handleRequest(req, res, JSON.parse(Buffer.concat(chunks).toString()));
  });
  httpServer.listen(Number(process.argv[httpIndex + 1]), "127.0.0.1", () => console.error(`listening ${(httpServer.address() as { port: number }).port}`));
}

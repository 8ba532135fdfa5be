// A tool outcome as an MCP CallToolResult: text for people, structuredContent for programs.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { ToolOutcome } from "../component-host.js";

export function toCallToolResult(outcome: ToolOutcome): CallToolResult {
  switch (outcome.kind) {
    case "ok":
      if (outcome.json === undefined) return { content: [{ type: "text", text: "done" }] };
      return { content: [{ type: "text", text: asText(outcome.json) }], structuredContent: { result: outcome.json } };
    case "error-result":
      return {
        content: [{ type: "text", text: `error: ${asText(outcome.json)}` }],
        structuredContent: { error: outcome.json },
        isError: true,
      };
    case "invalid-arguments":
    case "trap":
      return { content: [{ type: "text", text: outcome.message }], isError: true };
  }
}

function asText(json: unknown): string {
  return typeof json === "string" ? json : JSON.stringify(json, null, 2);
}

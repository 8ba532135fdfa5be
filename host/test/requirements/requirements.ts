// The requirements the host claims, as data: MCP specification requirements with their links,
// and the outward contract's (docs/contract.md). A test says which it proves with `verifies(id)`;
// requirements.test.ts fails when a requirement has no test, or a test names an unknown one.
const MCP = "https://modelcontextprotocol.io/specification/2025-11-25";
const JSON_RPC = "https://www.jsonrpc.org/specification";
/** The 2026-07-28 revision, by its pages in the specification's repository (docs/specification/2026-07-28/...). */
const MCP26 = "https://github.com/modelcontextprotocol/modelcontextprotocol/blob/main/docs/specification/2026-07-28";
/** The outward contract (docs/contract.md), by section. */
const CONTRACT = "docs/contract.md";
/** Running replicas from a deployment file (docs/deployment.md), by section. */
const FLEET = "docs/deployment.md";

export const REQUIREMENTS = {
  // MCP: lifecycle, transports, utilities
  "mcp:lifecycle:initialize": { spec: `${MCP}/basic/lifecycle`, text: "The server answers initialize with its capabilities and a protocol version it supports." },
  "mcp:lifecycle:version-negotiation": {
    spec: `${MCP}/basic/lifecycle#version-negotiation`,
    text: "initialize with a version the server supports is answered with that version; with any other, with the latest the server supports (2025-11-25).",
  },
  "mcp:jsonrpc:parse-error": { spec: `${JSON_RPC}#error_object`, text: "A message that is not JSON gets -32700 with id null (a stdio line too), and the next message is served." },
  "mcp:jsonrpc:invalid-request": {
    spec: `${MCP}/basic#messages`,
    text: "JSON that is no JSON-RPC message (a batch, a wrong jsonrpc, params not an object) gets -32600 saying what is wrong; id null unless a request's id can be read.",
  },
  "mcp:jsonrpc:method-not-found": { spec: `${JSON_RPC}#error_object`, text: "A method the server does not serve gets -32601 naming the method." },
  "mcp:basic:invalid-params": {
    spec: `${MCP}/server/tools#error-handling`,
    text: "A request that fails its schema (tools/call with arguments null) is a protocol error -32602 naming the field, never an internal error.",
  },
  "mcp:stdio:only-protocol-on-stdout": { spec: `${MCP}/basic/transports#stdio`, text: "The server MUST NOT write anything to stdout that is not a valid MCP message." },
  "mcp:http:streamable": { spec: `${MCP}/basic/transports#streamable-http`, text: "Streamable HTTP: JSON-RPC requests POSTed to one endpoint, answered as JSON or SSE." },
  "mcp:http:sessions": { spec: `${MCP}/basic/transports#session-management`, text: "A session id from initialize; requests without it get 400, with an unknown or ended one 404; DELETE ends it." },
  "mcp:http:resumability": {
    spec: `${MCP}/basic/transports#resumability-and-redelivery`,
    text: "SSE streams carry event ids (a priming event first, with a retry field); a client that lost a stream resumes it with Last-Event-ID.",
  },
  "mcp:http:dns-rebinding": { spec: `${MCP}/basic/transports#security-warning`, text: "Servers MUST validate the Origin header; a local server should refuse foreign Host headers." },
  "mcp:utilities:progress": { spec: `${MCP}/basic/utilities/progress`, text: "Progress notifications carry the request's progressToken and increasing progress." },
  "mcp:utilities:cancellation": { spec: `${MCP}/basic/utilities/cancellation`, text: "A cancelled request stops its work." },
  "mcp:client:sampling": { spec: `${MCP}/client/sampling`, text: "A server may ask the client's model for a message (sampling/createMessage) when the client declared sampling." },
  "mcp:client:elicitation": { spec: `${MCP}/client/elicitation`, text: "A server may ask the user for input (elicitation/create) when the client declared elicitation." },
  "mcp:logging:notifications": { spec: `${MCP}/server/utilities/logging`, text: "Log messages are sent as notifications/message with a level and a logger." },
  // MCP: tools
  "mcp:tools:list": { spec: `${MCP}/server/tools#listing-tools`, text: "tools/list gives each tool's name, description, inputSchema (an object schema) and optional outputSchema and annotations." },
  "mcp:tools:list-changed": { spec: `${MCP}/server/tools#list-changed-notification`, text: "A server declaring listChanged sends notifications/tools/list_changed when its tools change." },
  "mcp:tools:call": { spec: `${MCP}/server/tools#calling-tools`, text: "tools/call runs a tool and returns content." },
  "mcp:tools:structured-content": { spec: `${MCP}/server/tools#structured-content`, text: "Structured results go in structuredContent and conform to the outputSchema." },
  "mcp:tools:rich-content": { spec: `${MCP}/server/tools#tool-result`, text: "Results may hold text, image, audio and embedded resource content." },
  "mcp:tools:error-result": { spec: `${MCP}/server/tools#error-handling`, text: "Tool execution errors are results with isError: true, so the model can see them." },
  "mcp:tools:unknown-tool": { spec: `${MCP}/server/tools#error-handling`, text: "A call to an unknown tool is a protocol error." },
  "mcp:tools:validate-inputs": { spec: `${MCP}/server/tools#security-considerations`, text: "Servers MUST validate all tool inputs." },
  "mcp:tools:annotations": { spec: `${MCP}/server/tools#tool`, text: "Tools may carry annotations (title, readOnlyHint, destructiveHint, idempotentHint, openWorldHint)." },
  "mcp:resources:list-read": { spec: `${MCP}/server/resources`, text: "resources/list, resources/templates/list and resources/read; an unknown URI is error -32002." },
  "mcp:resources:subscribe": { spec: `${MCP}/server/resources#subscriptions`, text: "A server declaring subscribe accepts resources/subscribe and unsubscribe." },
  "mcp:prompts:list-get": { spec: `${MCP}/server/prompts`, text: "prompts/list and prompts/get with arguments; missing required arguments are an invalid-params error." },
  "mcp:completion:complete": { spec: `${MCP}/server/utilities/completion`, text: "completion/complete suggests values for a prompt argument." },
  "mcp:schema:json-schema-2020-12": { spec: `${MCP}/basic#json-schema-usage`, text: "Schemas default to JSON Schema 2020-12; $schema, $defs and additionalProperties are kept." },
  "mcp:conformance:official-suite": { spec: "https://github.com/modelcontextprotocol/conformance", text: "The official server scenarios pass, except a reasoned expected-failures baseline." },
  // MCP 2026-07-28, served beside the 2025 era
  "mcp26:stateless": {
    spec: `${MCP26}/basic/transports/streamable-http.mdx`,
    text: "Requests carry their version in _meta and need no initialize or session: any request may go to any server instance on the same store.",
  },
  "mcp26:discover": { spec: `${MCP26}/server/discover.mdx`, text: "server/discover answers with the supported versions (every one the server speaks), capabilities and instructions." },
  "mcp26:dual-era": {
    spec: `${MCP26}/basic/versioning.mdx`,
    text: "A dual-era server serves initialize (2025 sessions) and _meta requests (2026-07-28) on the same endpoint or process.",
  },
  "mcp26:unsupported-version": {
    spec: `${MCP26}/basic/versioning.mdx`,
    text: "A request for a version the server does not speak gets -32022 UnsupportedProtocolVersion listing the versions it does.",
  },
  "mcp26:meta-required": { spec: `${MCP26}/basic/index.mdx`, text: "A request missing a required _meta key (protocolVersion, clientCapabilities) gets -32602 naming it." },
  "mcp26:listen": {
    spec: `${MCP26}/basic/patterns/subscriptions.mdx`,
    text: "subscriptions/listen is acknowledged, then carries notifications/tools/list_changed when the tools change (here or through the store).",
  },
  "mcp26:mrtr": {
    spec: `${MCP26}/basic/patterns/mrtr.mdx`,
    text: "A call that needs the client answers input_required; the retry carries inputResponses and the echoed requestState, which is integrity-protected; a call that needs a capability the client did not declare is refused with -32021 MissingRequiredClientCapability.",
  },
  // The outward contract
  "contract:components:any-language": { spec: `${CONTRACT}#components`, text: "Any WebAssembly component loads, whoever built it; its exported functions become tools." },
  "contract:components:naming": { spec: `${CONTRACT}#components`, text: "World export f -> tool f; interface ns:pkg/iface@v function f -> ns_pkg_iface_f." },
  "contract:components:type-mapping": { spec: `${CONTRACT}#components`, text: "Every WIT type has a documented JSON mapping that round-trips." },
  "contract:components:descriptions": { spec: `${CONTRACT}#components`, text: "Descriptions come from WIT doc comments carried in the component." },
  "contract:components:error-result": { spec: `${CONTRACT}#components`, text: "A WIT result error is isError with the error value as text and structured content." },
  "contract:components:traps-keep-serving": { spec: `${CONTRACT}#components`, text: "A trap, timeout or limit is isError with a plain message; the host keeps serving." },
  "contract:components:provider": { spec: `${CONTRACT}#components`, text: "A component may export airlock:tool/provider to declare its tools, schemas, annotations and rich content." },
  "contract:components:provider-schemas-sandboxed": {
    spec: `${CONTRACT}#components`,
    text: "A provider's own schemas are checked in its worker under its limits: a pathological schema cannot stall the host.",
  },
  "contract:deny:files": { spec: `${CONTRACT}#deny-by-default`, text: "No filesystem unless granted; a grant is one directory, read or read-write." },
  "contract:deny:network": { spec: `${CONTRACT}#deny-by-default`, text: "No network unless a host is granted." },
  "contract:deny:environment": { spec: `${CONTRACT}#deny-by-default`, text: "No environment variables, cwd or host argv unless granted." },
  "contract:deny:stdio": { spec: `${CONTRACT}#deny-by-default`, text: "Guest stdout/stderr become MCP log messages, never protocol traffic." },
  "contract:deny:names-grant": { spec: `${CONTRACT}#built-in-mcp-tools-names-and-arguments-as-in-wassette`, text: "A denied capability produces an error that names the grant that would allow it." },
  "contract:builtins:grants": {
    spec: `${CONTRACT}#built-in-mcp-tools-names-and-arguments-as-in-wassette`,
    text: "grant-*/revoke-*/get-policy work through MCP, take effect on the next call and persist.",
  },
  "contract:builtins:load-unload": { spec: `${CONTRACT}#built-in-mcp-tools-names-and-arguments-as-in-wassette`, text: "load-component and unload-component change the tools and send list_changed." },
  "contract:http:token": {
    spec: `${CONTRACT}#cli`,
    text: "serve --http answers only clients with the bearer token from $AIRLOCK_HOME/http-token (0600), so other local users cannot use the tools or grants.",
  },
  "contract:oci:load": {
    spec: `${CONTRACT}#built-in-mcp-tools-names-and-arguments-as-in-wassette`,
    text: "load-component and airlock load take oci://registry/repo:tag and @sha256:digest; the resolved digest is recorded and listed.",
  },
  "contract:oci:publish": { spec: `${CONTRACT}#cli`, text: "airlock publish pushes the CNCF Wasm artifact layout (config, application/wasm layer, WIT layer), readable by other OCI clients." },
  "contract:oci:verify": {
    spec: `${CONTRACT}#built-in-mcp-tools-names-and-arguments-as-in-wassette`,
    text: "Every pulled blob's size and sha256 and the manifest digest are verified; a tampered component is refused.",
  },
  "contract:oci:requested-policy": { spec: `${CONTRACT}#deny-by-default`, text: "A publisher's policy layer is shown as requested permissions, never granted." },
  "contract:oci:signatures": { spec: `${CONTRACT}#cli`, text: "With signatures required, unsigned components and ones signed by untrusted keys are refused, naming key and digest." },
  "contract:oci:cache": { spec: `${CONTRACT}#cli`, text: "A digest already pulled loads again with no network request (the registry stopped)." },
  "contract:oci:https-pinned": { spec: `${CONTRACT}#built-in-mcp-tools-names-and-arguments-as-in-wassette`, text: "https:// components load only with a sha256 pin, which is checked." },
  "contract:limits:time": { spec: `${CONTRACT}#policy-files-compatible-with-wassettes-policy-v1`, text: "A call over its time limit is stopped." },
  "contract:limits:memory": { spec: `${CONTRACT}#policy-files-compatible-with-wassettes-policy-v1`, text: "A call over its memory limit fails without taking the host's memory." },
  "contract:audit": { spec: `${CONTRACT}#deny-by-default`, text: "Every capability decision is recorded with component, tool, call id and time." },
  "fleet:file": { spec: `${FLEET}#the-deployment-file`, text: "serve --config reads a deployment file checked against a JSON Schema; every problem is reported at once, naming its key." },
  "fleet:store-follows-file": {
    spec: `${FLEET}#the-deployment-file`,
    text: "A replica serves the file's components (pinned by digest, signatures verified), its grants and tool selections, and nothing else.",
  },
  "fleet:file-is-truth": { spec: `${FLEET}#the-deployment-file`, text: "Grants, loads and unloads made by hand (CLI or MCP) on a replica's store are refused, naming the file." },
  "fleet:reload": {
    spec: `${FLEET}#changing-the-file`,
    text: "A changed file (a component added, a grant removed) is applied without a restart and without failing calls in flight; an invalid one changes nothing.",
  },
  "fleet:probes": {
    spec: `${FLEET}#probes`,
    text: "/healthz and /readyz need no token and name no component (ids and reasons go to the log); /readyz is 200 only once every component is verified and warmed.",
  },
  "fleet:unverified-unready": { spec: `${FLEET}#probes`, text: "A component whose signature cannot be verified keeps the replica unready; the replica's log names it." },
  "fleet:load-balancer": {
    spec: `${FLEET}#sessions-and-load-balancers`,
    text: "Replicas behind a round-robin load balancer health-checked on /readyz carry the calls when one dies (only its calls in flight fail, with an error) and take it back when it is started again.",
  },
  "fleet:rate-limits": { spec: `${FLEET}#rate-limits`, text: "A client over limits.rate gets a tool error saying when to retry; other clients are unaffected." },
} as const satisfies Record<string, { spec: string; text: string }>;

export type RequirementId = keyof typeof REQUIREMENTS;

/** Marks the test it is called in as proof of these requirements (read by requirements.test.ts). */
export function verifies(...ids: RequirementId[]): void {
  for (const id of ids) if (!(id in REQUIREMENTS)) throw new Error(`unknown requirement ${id}`);
}

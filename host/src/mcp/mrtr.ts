// Multi-round-trip requests (2026-07-28, basic/patterns/mrtr.mdx): a request of that era cannot
// be asked anything mid-call, and a component's call is synchronous code that cannot be
// suspended. So when a component asks the client (elicitation, sampling), the call is stopped and
// answered `input_required` with that one question; the client retries with its answer, and the
// call runs again from the start. The Nth question of a run is keyed `qN`: questions already
// answered in earlier rounds are answered from `requestState`, this round's answer comes in
// `inputResponses` (the SDK sends only the newest round's answers), and the first unanswered one
// stops the run again. A replay repeats whatever the component did before its question.
//
// `requestState` goes through the client and comes back as attacker-controlled input, so it is
// signed (HMAC, the SDK's codec) with a key in $AIRLOCK_HOME/mrtr-key (0600, made like the HTTP
// token) that every `airlock serve` on the store shares, bound to the tool and its arguments, and
// expires. A question a client did not declare the capability for is never asked: the whole call
// is refused with -32021 MissingRequiredClientCapability, naming the capability.
import { createHash } from "node:crypto";
import { join } from "node:path";
import {
  createRequestStateCodec,
  inputRequired,
  MissingRequiredClientCapabilityError,
  ProtocolError,
  ProtocolErrorCode,
  specTypeSchemas,
  type InputRequest,
  type InputRequiredResult,
  type RequestStateCodec,
  type ServerContext,
} from "@modelcontextprotocol/server";
import { capabilityFor, checkedParams, MAX_CLIENT_REQUESTS_PER_CALL, type ClientRequestMethod } from "./client-requests.js";
import { loadOrCreateToken } from "./http-token.js";

/** How long a client may take to answer before the call must start over. */
const STATE_TTL_SECONDS = 15 * 60;

/** What the client answered so far, in the order the component asked, each with its question's digest. */
interface ReplayState {
  answers: { digest: string; answer: unknown }[];
  /** The digest of the question the last round asked, whose answer this round brings. */
  pending?: string;
  /** input_required answers given for this call so far. */
  rounds: number;
}

const codecs = new Map<string, Promise<RequestStateCodec<ReplayState>>>();

/** The codec for the store at `homeRoot`: one key file, read (or made) once per process. */
function codecFor(homeRoot: string): Promise<RequestStateCodec<ReplayState>> {
  let codec = codecs.get(homeRoot);
  if (!codec) {
    codec = loadOrCreateToken(join(homeRoot, "mrtr-key"), "the key that signs requestState").then((key) =>
      createRequestStateCodec<ReplayState>({ key, ttlSeconds: STATE_TTL_SECONDS, bind: (ctx) => bindingOf(ctx) }),
    );
    codec.catch(() => codecs.delete(homeRoot));
    codecs.set(homeRoot, codec);
  }
  return codec;
}

/** The call each request is, by tool name and a digest of its arguments. */
const calls = new WeakMap<ServerContext, string>();

/** A state minted for one tool and its arguments is refused for any other call. */
const bindingOf = (ctx: ServerContext) => `${ctx.mcpReq.method}\0${calls.get(ctx) ?? ""}`;

const digest = (text: string) => createHash("sha256").update(text).digest("base64url");

/** One run of a 2026-07-28 tools/call that may need the client. */
export class Replay {
  private readonly stop = new AbortController();
  private question: { key: string; digest: string; request: InputRequest } | undefined;
  /** The capability a question needed that the client did not declare: the call is refused. */
  private missing: { capability: string; method: ClientRequestMethod } | undefined;
  private asked = 0;

  private constructor(
    private readonly ctx: ServerContext,
    private readonly homeRoot: string,
    private readonly state: ReplayState,
  ) {}

  /** Reads the earlier rounds' answers (refusing a state that fails verification) and this round's. */
  static async start(ctx: ServerContext, homeRoot: string, name: string, args: unknown): Promise<Replay> {
    calls.set(ctx, `${name}\0${digest(JSON.stringify(args ?? {}))}`);
    const raw = ctx.mcpReq.requestState<string>();
    let state: ReplayState = { answers: [], rounds: 0 };
    if (typeof raw === "string") {
      try {
        state = await (await codecFor(homeRoot)).verify(raw, ctx);
      } catch (error) {
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, `requestState is not one this server made for this call (${(error as Error).message}): call the tool again without it`);
      }
      // This round's answer is to the question the last round asked.
      const answer = ctx.mcpReq.inputResponses?.[`q${state.answers.length + 1}`];
      if (answer !== undefined && state.pending) state = { ...state, answers: [...state.answers, { digest: state.pending, answer }] };
    }
    return new Replay(ctx, homeRoot, state);
  }

  /** Stops the run when the component asks something not answered yet. */
  get signal(): AbortSignal {
    return this.stop.signal;
  }

  /** The component's Nth question: answered from earlier rounds, or the run stops here. */
  ask(method: ClientRequestMethod, paramsJson: string): Promise<string> {
    const index = this.asked++;
    if (index >= MAX_CLIENT_REQUESTS_PER_CALL || this.state.rounds >= MAX_CLIENT_REQUESTS_PER_CALL) {
      return Promise.reject(new Error(`a call may ask the client at most ${MAX_CLIENT_REQUESTS_PER_CALL} times`));
    }
    const capability = capabilityFor(method);
    // The SDK's type for the envelope is empty ({}): read the key the request carried.
    const envelope = this.ctx.mcpReq.envelope as { "io.modelcontextprotocol/clientCapabilities"?: Record<string, unknown> } | undefined;
    if (!envelope?.["io.modelcontextprotocol/clientCapabilities"]?.[capability]) {
      // Not the component's error to handle: the request needs what the client did not declare.
      this.missing = { capability, method };
      this.stop.abort();
      return new Promise<string>(() => undefined);
    }
    const params = checkedParams(method, paramsJson);
    const asked = digest(`${method}\n${JSON.stringify(params)}`);
    const earlier = this.state.answers[index];
    if (earlier && earlier.digest === asked && isValidAnswer(method, earlier.answer)) return Promise.resolve(JSON.stringify(earlier.answer));
    // Not answered (or answered for a different question, or not an answer): ask it now. Later
    // answers belong to questions the component may no longer ask.
    this.state.answers.length = index;
    this.question = { key: `q${index + 1}`, digest: asked, request: { method, params } as InputRequest };
    this.stop.abort();
    return new Promise<string>(() => undefined);
  }

  /**
   * The `input_required` answer when the run stopped at a question; undefined when it completed.
   * Throws -32021 when the run stopped at a question the client cannot answer.
   */
  async inputRequired(): Promise<InputRequiredResult | undefined> {
    if (this.missing) {
      const { capability, method } = this.missing;
      throw new MissingRequiredClientCapabilityError(
        { requiredCapabilities: { [capability]: {} } },
        `the tool needs the client's ${capability} capability (it asked ${method}), which this request's _meta does not declare`,
      );
    }
    if (!this.question) return undefined;
    const state: ReplayState = { answers: this.state.answers, pending: this.question.digest, rounds: this.state.rounds + 1 };
    return inputRequired({ inputRequests: { [this.question.key]: this.question.request }, requestState: await (await codecFor(this.homeRoot)).mint(state, this.ctx) });
  }
}

function isValidAnswer(method: ClientRequestMethod, answer: unknown): boolean {
  const schema = method === "sampling/createMessage" ? specTypeSchemas.CreateMessageResult : specTypeSchemas.ElicitResult;
  return !schema["~standard"].validate(answer).issues;
}

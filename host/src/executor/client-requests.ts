// Requests from a guest to the MCP client (sampling, elicitation). A guest call is synchronous,
// while the client answers asynchronously on the host's thread: the worker posts the request
// with a SharedArrayBuffer and blocks on it; the host writes the answer and wakes it.
import type { ClientMethod } from "./protocol.js";
import { MAX_CLIENT_ANSWER_BYTES, MAX_CLIENT_REQUEST_CHARS } from "./protocol.js";

const PENDING = 0;
const OK = 1;
const FAILED = 2;

/** An error a jco import turns into the WIT result's `err` case (it reads `payload`). */
class ClientRequestError extends Error {
  constructor(readonly payload: string) {
    super(payload);
  }
}

/** In the worker: sends the request and waits for the answer, returning it or throwing its error. */
export function requestFromWorker<M extends string = ClientMethod>(post: (method: M, params: string, shared: SharedArrayBuffer) => void, method: M, params: string): string {
  // The host parses what a guest sends on its own thread: bound it here, before it leaves.
  if (params.length > MAX_CLIENT_REQUEST_CHARS) throw new ClientRequestError(`the ${method} params are ${params.length} characters; at most ${MAX_CLIENT_REQUEST_CHARS} are allowed`);
  const shared = new SharedArrayBuffer(8 + MAX_CLIENT_ANSWER_BYTES);
  const header = new Int32Array(shared, 0, 2);
  post(method, params, shared);
  Atomics.wait(header, 0, PENDING);
  const text = new TextDecoder().decode(new Uint8Array(shared, 8, header[1]).slice());
  if (header[0] !== OK) throw new ClientRequestError(text);
  return text;
}

/** On the host: writes `answer` (or the error) and wakes the waiting worker. */
export function answerWorker(shared: SharedArrayBuffer, answer: { ok: true; json: string } | { ok: false; message: string }): void {
  let status = answer.ok ? OK : FAILED;
  let bytes = new TextEncoder().encode(answer.ok ? answer.json : answer.message);
  if (bytes.length > MAX_CLIENT_ANSWER_BYTES) {
    status = FAILED;
    bytes = new TextEncoder().encode(`the client's answer is larger than ${MAX_CLIENT_ANSWER_BYTES} bytes`);
  }
  const header = new Int32Array(shared, 0, 2);
  new Uint8Array(shared, 8, bytes.length).set(bytes);
  header[1] = bytes.length;
  Atomics.store(header, 0, status);
  Atomics.notify(header, 0);
}

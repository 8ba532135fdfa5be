// Streamable HTTP's share of protocol-edge.ts: a POST body that is JSON but no JSON-RPC message
// gets -32600 invalid request naming what is wrong (the SDK's transport calls it a parse error,
// -32700, which JSON-RPC keeps for text that is not JSON). Bodies that are not JSON at all are
// answered by the JSON parser's error handler; messages go on to the transport unchanged.
import type { IncomingMessage, ServerResponse } from "node:http";
import { checkMessage } from "./protocol-edge.js";

type Req = IncomingMessage & { body?: unknown };
type Res = ServerResponse & { status(code: number): Res; json(body: unknown): void };

/** Express middleware, after the JSON body parser. */
export function answerInvalidMessages(req: Req, res: Res, next: () => void): void {
  if (req.method !== "POST" || req.body === undefined) return next();
  // A batch is the SDK's to take or refuse; each of its messages must be one.
  for (const message of Array.isArray(req.body) ? req.body : [req.body]) {
    const error = checkMessage(message);
    if (error) return void res.status(400).json(error);
  }
  next();
}

// The part of wasi:http this tool uses, as componentize-js binds it: resources are classes,
// a WIT `result` error is thrown, options are `undefined` when absent.
declare module "wasi:http/types@0.2.12" {
  export type ErrorCode = { tag: string; val?: unknown };
  export type Method = { tag: "get" };
  export type Scheme = { tag: "HTTP" } | { tag: "HTTPS" };
  export class Fields {
    static fromList(entries: Array<[string, Uint8Array]>): Fields;
    entries(): Array<[string, Uint8Array]>;
  }
  export interface Pollable {
    block(): void;
  }
  export interface InputStream {
    blockingRead(length: bigint): Uint8Array;
  }
  export class OutgoingBody {
    static finish(body: OutgoingBody, trailers: Fields | undefined): void;
  }
  export class OutgoingRequest {
    constructor(headers: Fields);
    body(): OutgoingBody;
    setMethod(method: Method): void;
    setScheme(scheme: Scheme | undefined): void;
    setAuthority(authority: string | undefined): void;
    setPathWithQuery(path: string | undefined): void;
  }
  export class RequestOptions {
    setConnectTimeout(nanoseconds: bigint | undefined): void;
    setFirstByteTimeout(nanoseconds: bigint | undefined): void;
    setBetweenBytesTimeout(nanoseconds: bigint | undefined): void;
  }
  export class IncomingBody {
    stream(): InputStream;
  }
  export class IncomingResponse {
    status(): number;
    headers(): Fields;
    consume(): IncomingBody;
  }
  export type FutureResult = { tag: "ok"; val: { tag: "ok"; val: IncomingResponse } | { tag: "err"; val: ErrorCode } } | { tag: "err" };
  export class FutureIncomingResponse {
    subscribe(): Pollable;
    get(): FutureResult | undefined;
  }
}

declare module "wasi:http/outgoing-handler@0.2.12" {
  import type { FutureIncomingResponse, OutgoingRequest, RequestOptions } from "wasi:http/types@0.2.12";
  export function handle(request: OutgoingRequest, options: RequestOptions | undefined): FutureIncomingResponse;
}

// stdio where every line gets an answer. The SDK's StdioServerTransport skips a line that is not
// JSON without a word, and reports one that is JSON but no JSON-RPC message only to its own
// onerror: either way the client waits for a reply that never comes. Here stdin passes through a
// line check first. A good line goes on to the SDK's transport unchanged; a bad one is answered
// (-32700 parse error, -32600 invalid request) and dropped, and the next line is served as usual.
import { Transform, type Readable, type TransformCallback, type Writable } from "node:stream";
import { STDIO_DEFAULT_MAX_BUFFER_SIZE } from "@modelcontextprotocol/server";
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import { asMessage, checkMessageText, type EdgeError } from "./protocol-edge.js";

const NEWLINE = 0x0a;

/** The SDK's stdio transport over `stdin` with every line checked; answers go to `stdout`. */
export function checkedStdioTransport(stdin: Readable = process.stdin, stdout: Writable = process.stdout): StdioServerTransport {
  const lines = new CheckedLines((error) => void transport.send(asMessage(error)).catch(() => undefined));
  stdin.on("error", (error) => lines.destroy(error));
  const transport = new StdioServerTransport(stdin.pipe(lines), stdout);
  return transport;
}

/** Splits the input into lines and lets through only JSON-RPC messages, one per chunk. */
export class CheckedLines extends Transform {
  private pending: Buffer[] = [];
  private size = 0;
  /** The rest of a line too long to keep is dropped (it was answered when it got too long). */
  private dropping = false;

  constructor(
    private readonly answer: (error: EdgeError) => void,
    private readonly maxLine = STDIO_DEFAULT_MAX_BUFFER_SIZE,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      this.append(chunk.subarray(start, end));
      this.endLine();
      start = end + 1;
    }
    this.append(chunk.subarray(start));
    done();
  }

  private append(part: Buffer): void {
    if (this.dropping || part.length === 0) return;
    if (this.size + part.length > this.maxLine) {
      this.pending = [];
      this.size = 0;
      this.dropping = true;
      this.answer({ jsonrpc: "2.0", id: null, error: { code: -32600, message: `invalid request: a message longer than ${this.maxLine} bytes was dropped` } });
      return;
    }
    this.pending.push(part);
    this.size += part.length;
  }

  private endLine(): void {
    const line = Buffer.concat(this.pending);
    this.pending = [];
    this.size = 0;
    if (this.dropping) {
      this.dropping = false;
      return;
    }
    const text = line.toString("utf8");
    // An empty line is no message at all (a client's stray newline, or \r\n line ends).
    if (text.trim() === "") return;
    const error = checkMessageText(text);
    if (error) this.answer(error);
    else this.push(Buffer.concat([line, Buffer.of(NEWLINE)]));
  }
}

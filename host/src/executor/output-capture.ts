// Splits a guest's stdout or stderr into lines with bounded memory: a line longer than
// `maxLine` is cut, and past `maxBytes` per call the rest is dropped with one notice. A guest
// flooding its output cannot grow the host's memory or drown the MCP session in log messages.
import type { Readable } from "node:stream";

export interface CaptureLimits {
  maxLine: number;
  maxBytes: number;
}

export class OutputCapture {
  private partial = "";
  private partialCut = 0;
  private forwarded = 0;
  private dropped = false;

  constructor(
    stream: Readable,
    private readonly limits: CaptureLimits,
    private readonly emit: (line: string) => void,
  ) {
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => this.take(chunk));
    // When the worker ends, pass on an unfinished last line, but no empty one.
    stream.on("end", () => {
      if (this.partial || this.partialCut) this.flush();
    });
  }

  /** A new call starts: it gets a fresh output budget. */
  reset(): void {
    this.forwarded = 0;
    this.dropped = false;
  }

  private take(chunk: string): void {
    let start = 0;
    for (let newline = chunk.indexOf("\n", start); newline !== -1; newline = chunk.indexOf("\n", start)) {
      this.append(chunk.slice(start, newline));
      this.flush();
      start = newline + 1;
    }
    this.append(chunk.slice(start));
  }

  private append(text: string): void {
    const room = this.limits.maxLine - this.partial.length;
    if (text.length <= room) {
      this.partial += text;
    } else {
      this.partial += text.slice(0, Math.max(0, room));
      this.partialCut += text.length - Math.max(0, room);
    }
  }

  private flush(): void {
    const line = this.partialCut > 0 ? `${this.partial} [... ${this.partialCut} more characters cut]` : this.partial.replace(/\r$/, "");
    this.partial = "";
    this.partialCut = 0;
    if (this.dropped) return;
    this.forwarded += line.length + 1;
    if (this.forwarded > this.limits.maxBytes) {
      this.dropped = true;
      this.emit(`[guest output beyond ${this.limits.maxBytes} bytes in this call dropped]`);
      return;
    }
    this.emit(line);
  }
}

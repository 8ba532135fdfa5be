// In the worker: what a tool built by airlock-tool-build reported through airlock:tool/diagnostics
// before it trapped, with its stack mapped back to the tool's own sources through the source map
// the build put in the component. Runs in the worker, off the host's thread.
import { originalPositionFor, TraceMap } from "@jridgewell/trace-mapping";

/** The custom section airlock-tool-build writes the tool's source map into. */
export const SOURCE_MAP_SECTION = "airlock-source-map";

export interface Uncaught {
  message: string;
  stack: string;
}

/** `crash@bundle.js:20:10` lines, mapped where the map knows them: `crash (src/component.ts:19:9)`. */
export function mapStack(stack: string, sourceMap: TraceMap | undefined): string[] {
  return stack
    .split("\n")
    .filter((line) => line.trim())
    .slice(0, 20)
    .map((line) => {
      const frame = /^(.*)@(.*):(\d+):(\d+)$/.exec(line.trim());
      if (!frame || !sourceMap) return line.trim();
      const original = originalPositionFor(sourceMap, { line: Number(frame[3]), column: Math.max(0, Number(frame[4]) - 1) });
      if (original.source === null || original.line === null) return line.trim();
      return `${frame[1] || "(anonymous)"} (${original.source}:${original.line}:${(original.column ?? 0) + 1})`;
    })
    .filter((line) => !/sources\/initializer\.js|airlock-entry\.js|^\s*wrap/.test(line));
}

/** The message a caller reads: the tool's own words and the first place in its own sources. */
export function describeUncaught(uncaught: Uncaught, sourceMap: TraceMap | undefined): { message: string; stack: string[] } {
  const stack = mapStack(uncaught.stack, sourceMap);
  const where = stack.map((line) => /\(([^()]+:\d+:\d+)\)$/.exec(line)?.[1]).find((place) => place !== undefined && !place.includes("node_modules"));
  return { message: `${uncaught.message}${where ? ` (at ${where})` : ""}`, stack };
}

export function parseSourceMap(json: string | undefined): TraceMap | undefined {
  if (!json) return undefined;
  try {
    return new TraceMap(json);
  } catch {
    return undefined;
  }
}

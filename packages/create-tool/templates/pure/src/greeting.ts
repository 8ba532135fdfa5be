// The tool's logic in plain TypeScript: the unit tests run it natively in Node.
import type { Greeting } from "./generated/world.js";

/** A mistake in the arguments: becomes the WIT error string, which the caller sees. */
export class GreetingError extends Error {
  override name = "GreetingError";
}

export function greeting(name: string): Greeting {
  const trimmed = name.trim();
  if (!trimmed) throw new GreetingError("a name is required: pass a non-empty name, e.g. \"Ada\"");
  return { text: `Hello, ${trimmed}!`, nameLength: [...trimmed].length };
}

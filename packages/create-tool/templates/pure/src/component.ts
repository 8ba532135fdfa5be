// The component's exports. Their types come from wit/world.wit (generated into src/generated/ by
// every build), so tsc checks this file against the world. A WIT `result` error is thrown as its
// value, here the message string; anything else thrown is a bug and traps.
import type { Exports } from "./generated/world.js";
import { greeting, GreetingError } from "./greeting.js";

export const greet: Exports["greet"] = (name) => {
  try {
    return greeting(name);
  } catch (error) {
    if (error instanceof GreetingError) throw error.message;
    throw error;
  }
};

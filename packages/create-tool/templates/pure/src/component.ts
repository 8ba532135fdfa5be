// The component's exports. Their types come from wit/world.wit (generated into src/generated/ by
// every build), so tsc checks this file against the world. A WIT `result` error is thrown as its
// value, here the message string; anything else thrown is a bug and traps.
import type { Exports } from "./generated/world.js";
import { measureText, {{pascalFunction}}Error } from "./{{function}}.js";

export const {{camelFunction}}: Exports["{{camelFunction}}"] = (text) => {
  try {
    return measureText(text);
  } catch (error) {
    if (error instanceof {{pascalFunction}}Error) throw error.message;
    throw error;
  }
};

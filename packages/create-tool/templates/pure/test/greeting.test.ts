import { describe, expect, it } from "vitest";
import { greeting, GreetingError } from "../src/greeting.js";

describe("greeting", () => {
  it("greets by name", () => {
    expect(greeting("Ada")).toEqual({ text: "Hello, Ada!", nameLength: 3 });
  });

  it("trims the name and counts characters, not UTF-16 units", () => {
    expect(greeting("  Zoë 🙂 ")).toEqual({ text: "Hello, Zoë 🙂!", nameLength: 5 });
  });

  it("refuses an empty name with a message that says what to pass", () => {
    expect(() => greeting(" ")).toThrow(GreetingError);
    expect(() => greeting("")).toThrow("a name is required");
  });
});

// Bundles the tool's TypeScript entry and its npm dependencies into one ES module, the input
// componentize-js takes.
import { build, type BuildOptions, type Message } from "esbuild";
import { relative, resolve } from "node:path";
import { BuildError } from "./errors.js";
import { unicodeRegexPlugin } from "./regex-transform.js";
import type { ToolConfig } from "./config.js";

/** esbuild's options for a component's module, shared by the plain and the wrapped bundle. */
export function componentBundleOptions(config: ToolConfig, outFile: string): BuildOptions {
  return {
    outfile: outFile,
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["import", "default"],
    target: "es2022",
    loader: config.loaders,
    logLevel: "silent",
    // Some packages assign undeclared globals (weasel-words' `match`), which throws in strict ESM.
    banner: { js: "var match;" },
    // Packages that read process.env (node-html-markdown does) get an empty one: a component
    // has no host environment unless it imports wasi:cli/environment.
    define: { "process.env": "{}" },
    // WIT imports are provided by the component model, not bundled.
    external: ["wasi:*", "airlock:*"],
    // The engine has no Unicode property escapes (`\p{L}`): rewritten into plain classes.
    plugins: [unicodeRegexPlugin()],
  };
}

/** Bundles the entry into `outFile`: the names the module exports, and the files it was made of (absolute). */
export async function bundle(config: ToolConfig, outFile: string): Promise<{ exports: string[]; inputs: string[] }> {
  try {
    const result = await build({ ...componentBundleOptions(config, outFile), entryPoints: [config.entry], metafile: true });
    const inputs = Object.keys(result.metafile.inputs).map((input) => resolve(input));
    return { exports: Object.values(result.metafile.outputs).flatMap((output) => output.exports), inputs };
  } catch (error) {
    const messages = (error as { errors?: Message[] }).errors;
    if (!messages?.length) throw error;
    throw new BuildError(messages.map((m) => formatMessage(config.dir, m)).join("\n"), "fix the source at that line");
  }
}

function formatMessage(dir: string, message: Message): string {
  const where = message.location ? `${relative(dir, message.location.file)}:${message.location.line}:${message.location.column + 1}: ` : "";
  return `${where}${message.text}`;
}

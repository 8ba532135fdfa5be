// jco's transpile and WIT decoding, each in a short-lived child process (see jco-process-main.ts).
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("./jco-process-main.js", import.meta.url));

function run<T>(job: object): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(SCRIPT, [], { serialization: "advanced", stdio: ["ignore", "ignore", "pipe", "ipc"] });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("message", (message: { ok: true; value: T } | { ok: false; message: string }) => {
      if (message.ok) resolve(message.value);
      else reject(new Error(message.message));
    });
    child.once("error", reject);
    // "close" comes after every message has been delivered; a settled promise ignores it.
    child.once("close", (code) => reject(new Error(`the jco process exited with code ${code} without an answer${stderr ? `: ${stderr.trim().split("\n").at(-1)}` : ""}`)));
    child.send(job);
  });
}

export function transpileInProcess(bytes: Uint8Array, name: string): Promise<Record<string, Uint8Array>> {
  return run({ task: "transpile", bytes, name });
}

export function componentWitInProcess(bytes: Uint8Array): Promise<string> {
  return run({ task: "wit", bytes });
}

// Runs one jco task in a child process. jco's transpiler and wasm-tools are WebAssembly
// components themselves: transpiling a 30 MB component leaves well over 100 MB allocated, which a
// process gives back to the system when it exits (a worker thread's memory stays with the host).
type Task = { task: "transpile"; bytes: Uint8Array; name: string } | { task: "wit"; bytes: Uint8Array };

// Disconnect only once the answer has been handed to the channel: a large answer is still
// being written when send() returns.
const answer = (message: object) => process.send!(message, () => process.disconnect());

process.once("message", async (job: Task) => {
  try {
    if (job.task === "transpile") {
      const { transpileBytes } = await import("@bytecodealliance/jco-transpile");
      const { files } = await transpileBytes(job.bytes, { name: job.name, instantiation: { tag: "async" }, emitTypescriptDeclarations: false });
      answer({ ok: true, value: files });
    } else {
      const { componentWit } = await import("@bytecodealliance/jco-transpile/wasm-tools");
      answer({ ok: true, value: await componentWit(job.bytes) });
    }
  } catch (error) {
    answer({ ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});

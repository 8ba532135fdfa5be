// airlock audit [<id>]: the recorded capability decisions, oldest first. A damaged line (a crash
// mid-write, a hand edit) is skipped and reported on stderr; the rest is still shown.
import { formatDecision } from "../audit/audit-log.js";
import { ComponentHost } from "../component-host.js";
import { UsageError } from "../errors.js";
import { airlockHome } from "../home.js";

export async function audit(args: string[]): Promise<void> {
  if (args.length > 1) throw new UsageError("usage: airlock audit [<id>]");
  const host = new ComponentHost({ home: airlockHome() });
  const { entries, damaged } = await host.audit.read(args[0]);
  if (damaged.length > 0) {
    for (const file of new Set(damaged.map((d) => d.file))) {
      const lines = damaged.filter((d) => d.file === file);
      const shown = lines
        .slice(0, 10)
        .map((d) => d.line)
        .join(", ");
      console.error(
        `airlock: skipped ${lines.length} damaged line${lines.length === 1 ? "" : "s"} of ${file} (line${lines.length === 1 ? "" : "s"} ${shown}${lines.length > 10 ? ", ..." : ""}): not whole audit records`,
      );
    }
  }
  if (entries.length === 0) {
    console.log(args[0] ? `no recorded decisions for ${args[0]}` : "no recorded decisions");
    return;
  }
  for (const e of entries) console.log(`${e.time} ${e.component} ${e.tool} ${e.callId.slice(0, 8)} ${formatDecision(e)}`);
}

// Every call and capability decision as it happens (server-sent events), and older records paged
// from the audit log. A denial shows the grant that would allow it, one click from the
// confirmation dialog.
import { useEffect, useState } from "preact/hooks";
import { changeOfGrant, getJson, type AuditEntry, type Component, type GrantChange } from "./api.js";
import type { LiveItem } from "./app.js";

interface Filter {
  component: string;
  tool: string;
  decision: "" | "allowed" | "denied";
}

const PAGE_SIZE = 50;

function grantText(grant: NonNullable<AuditEntry["grant"]>): string {
  return grant.kind === "network" ? `network ${grant.host}` : `storage ${grant.path} (${grant.access.join(", ")})`;
}

function matches(filter: Filter, item: LiveItem): boolean {
  const component = item.type === "call" ? item.call.component : item.entry.component;
  const tool = item.type === "call" ? item.call.tool : item.entry.tool;
  if (filter.component && component !== filter.component) return false;
  if (filter.tool && !tool.includes(filter.tool)) return false;
  if (filter.decision === "") return true;
  if (item.type === "call") return filter.decision === "denied" ? item.call.denied > 0 : item.call.denied === 0;
  return filter.decision === "denied" ? !item.entry.allowed : item.entry.allowed;
}

function DecisionRow({ entry, onGrant, elsewhere }: { entry: AuditEntry; onGrant: (change: GrantChange) => void; elsewhere?: boolean }) {
  return (
    <tr class={entry.allowed ? "allowed" : "denied"}>
      <td>
        <time dateTime={entry.time}>{new Date(entry.time).toLocaleTimeString()}</time>
      </td>
      <td>{entry.component}</td>
      <td>
        <code>{entry.tool}</code>
      </td>
      <td>
        {entry.allowed ? "allowed" : "DENIED"}
        {elsewhere ? <span class="reason"> (by another process on this store)</span> : null}
      </td>
      <td>
        {entry.kind} {entry.mode} <code>{entry.target}</code>
        {entry.count && entry.count > 1 ? ` (${entry.count} times)` : ""}
        {entry.reason ? <span class="reason"> {entry.reason}</span> : null}
      </td>
      <td>
        {!entry.allowed && entry.grant ? (
          <>
            <span class="would-allow">Would be allowed by: {grantText(entry.grant)}</span>{" "}
            <button type="button" onClick={() => onGrant(changeOfGrant(entry.component, entry.grant!))} aria-label={`Grant this: ${grantText(entry.grant)} to ${entry.component}`}>
              Grant this
            </button>
          </>
        ) : null}
      </td>
    </tr>
  );
}

const Head = () => (
  <thead>
    <tr>
      <th scope="col">Time</th>
      <th scope="col">Component</th>
      <th scope="col">Tool</th>
      <th scope="col">Decision</th>
      <th scope="col">What</th>
      <th scope="col">Grant</th>
    </tr>
  </thead>
);

export function AuditPage({ components, live, onGrant }: { components: Component[]; live: LiveItem[]; onGrant: (change: GrantChange) => void }) {
  const [filter, setFilter] = useState<Filter>({ component: "", tool: "", decision: "" });
  const [history, setHistory] = useState<{ entries: AuditEntry[]; total: number } | undefined>();
  const [error, setError] = useState<string | undefined>();

  const load = (offset: number) => {
    const query = new URLSearchParams({ offset: String(offset), limit: String(PAGE_SIZE) });
    if (filter.component) query.set("component", filter.component);
    if (filter.decision) query.set("decision", filter.decision);
    if (filter.tool) query.set("tool", filter.tool);
    getJson<{ entries: AuditEntry[]; total: number }>(`api/audit?${query}`).then(
      (page) => {
        setHistory((old) => ({ entries: offset === 0 ? page.entries : [...(old?.entries ?? []), ...page.entries], total: page.total }));
      },
      (e: Error) => setError(e.message),
    );
  };
  useEffect(() => load(0), [filter.component, filter.decision, filter.tool]);

  const shown = live.filter((item) => matches(filter, item));
  const set = (patch: Partial<Filter>) => setFilter({ ...filter, ...patch });
  return (
    <>
      <h1>Live audit</h1>
      <form class="filters" aria-label="Filter the audit" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="filter-component">Component</label>
          <select id="filter-component" value={filter.component} onChange={(e) => set({ component: (e.target as HTMLSelectElement).value })}>
            <option value="">all</option>
            {components.map((c) => (
              <option key={c.id} value={c.id}>
                {c.id}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-tool">Tool</label>
          <input id="filter-tool" value={filter.tool} onInput={(e) => set({ tool: (e.target as HTMLInputElement).value })} />
        </div>
        <div class="field">
          <label for="filter-decision">Decision</label>
          <select id="filter-decision" value={filter.decision} onChange={(e) => set({ decision: (e.target as HTMLSelectElement).value as Filter["decision"] })}>
            <option value="">all</option>
            <option value="allowed">allowed</option>
            <option value="denied">denied</option>
          </select>
        </div>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <section aria-labelledby="live-title">
        <h2 id="live-title">As it happens</h2>
        {shown.length === 0 ? (
          <p>No calls since this page opened. Calls from every MCP client of this server show here as they end.</p>
        ) : (
          <table class="live">
            <caption>Newest first, since this page opened</caption>
            <Head />
            <tbody>
              {shown.map((item) =>
                item.type === "call" ? (
                  <tr key={`call-${item.call.callId}`} class={`call ${item.call.outcome}`}>
                    <td>
                      <time dateTime={item.call.time}>{new Date(item.call.time).toLocaleTimeString()}</time>
                    </td>
                    <td>{item.call.component ?? ""}</td>
                    <td>
                      <code>{item.call.tool}</code>
                    </td>
                    <td>{`call: ${item.call.outcome}`}</td>
                    <td>{`ended in ${item.call.durationMs} ms${item.call.denied > 0 ? `, ${item.call.denied} denied` : ""}`}</td>
                    <td></td>
                  </tr>
                ) : (
                  <DecisionRow key={`d-${item.entry.callId}-${item.entry.kind}-${item.entry.mode}-${item.entry.target}`} entry={item.entry} onGrant={onGrant} elsewhere={item.elsewhere} />
                ),
              )}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="history-title">
        <h2 id="history-title">Recorded decisions (audit log, newest first)</h2>
        <button type="button" onClick={() => load(0)}>
          Refresh
        </button>
        {history && history.entries.length === 0 && <p>No recorded decisions match.</p>}
        {history && history.entries.length > 0 && (
          <table>
            <caption>{`${history.entries.length} of ${history.total} records`}</caption>
            <Head />
            <tbody>
              {history.entries.map((e, i) => (
                <DecisionRow key={`${e.callId}-${i}`} entry={e} onGrant={onGrant} />
              ))}
            </tbody>
          </table>
        )}
        {history && history.entries.length < history.total && (
          <button type="button" onClick={() => load(history.entries.length)}>
            Load older records
          </button>
        )}
      </section>
    </>
  );
}

// The console: four pages behind hash links, one live feed (server-sent events) shared by all.
import { useCallback, useEffect, useState } from "preact/hooks";
import { getJson, type AuditEntry, type CallRecord, type Component, type GrantChange } from "./api.js";
import { AuditPage } from "./audit-page.js";
import { ComponentsPage } from "./components-page.js";
import { ConfirmDialog } from "./confirm.js";
import { GrantsPage } from "./grants-page.js";
import { TryPage } from "./try-page.js";

/** `elsewhere`: written to the audit log by another process serving the same store (stdio, say). */
export type LiveItem = { type: "call"; call: CallRecord } | { type: "decision"; entry: AuditEntry; elsewhere?: boolean };

const PAGES = [
  { path: "components", title: "Components" },
  { path: "grants", title: "Grants" },
  { path: "audit", title: "Live audit" },
  { path: "try", title: "Try a tool" },
] as const;

type Page = (typeof PAGES)[number]["path"];
/** Live items kept in the page; older ones are in the audit log's history. */
const LIVE_LIMIT = 500;

function route(): { page: Page; param: string | undefined } {
  const [page, param] = location.hash.replace(/^#\/?/, "").split("/");
  const known = PAGES.find((p) => p.path === page);
  return { page: known?.path ?? "components", param: param ? decodeURIComponent(param) : undefined };
}

export function App() {
  const [where, setWhere] = useState(route);
  const [components, setComponents] = useState<Component[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [live, setLive] = useState<LiveItem[]>([]);
  const [connected, setConnected] = useState(false);
  const [pending, setPending] = useState<GrantChange | undefined>();
  const [policyVersion, setPolicyVersion] = useState(0);

  const reload = useCallback(() => {
    getJson<{ components: Component[] }>("api/components").then(
      (r) => {
        setComponents(r.components);
        setError(undefined);
      },
      (e: Error) => setError(e.message),
    );
  }, []);

  useEffect(() => {
    const onHash = () => setWhere(route());
    addEventListener("hashchange", onHash);
    return () => removeEventListener("hashchange", onHash);
  }, []);

  useEffect(() => {
    document.title = `${PAGES.find((p) => p.path === where.page)!.title} - Airlock console`;
  }, [where.page]);

  useEffect(() => {
    reload();
    const source = new EventSource("api/events");
    const add = (items: LiveItem[]) => setLive((old) => [...items.reverse(), ...old].slice(0, LIVE_LIMIT));
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.addEventListener("call", (e) => add([{ type: "call", call: JSON.parse((e as MessageEvent<string>).data) as CallRecord }]));
    source.addEventListener("audit", (e) => {
      const { entries, elsewhere } = JSON.parse((e as MessageEvent<string>).data) as { entries: AuditEntry[]; elsewhere?: boolean };
      add(entries.map((entry) => ({ type: "decision", entry, elsewhere })));
    });
    source.addEventListener("components-changed", () => reload());
    return () => source.close();
  }, [reload]);

  return (
    <>
      <header>
        <p class="brand">Airlock console</p>
        <nav aria-label="Pages">
          <ul>
            {PAGES.map((p) => (
              <li key={p.path}>
                <a href={`#/${p.path}`} aria-current={where.page === p.path ? "page" : undefined}>
                  {p.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <p class="status" role="status">
          {connected ? "Live: connected" : "Live: not connected"}
        </p>
      </header>
      <main id="main">
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {!components ? (
          <p>Loading...</p>
        ) : where.page === "components" ? (
          <ComponentsPage components={components} />
        ) : where.page === "grants" ? (
          <GrantsPage components={components} selected={where.param} onChange={setPending} version={policyVersion} />
        ) : where.page === "audit" ? (
          <AuditPage components={components} live={live} onGrant={setPending} />
        ) : (
          <TryPage components={components} selected={where.param} />
        )}
      </main>
      {pending && (
        <ConfirmDialog
          change={pending}
          onClose={(done) => {
            setPending(undefined);
            if (done) setPolicyVersion((v) => v + 1);
          }}
        />
      )}
    </>
  );
}

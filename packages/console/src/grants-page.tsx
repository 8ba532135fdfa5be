// What each component may touch now, what its publisher requests (never granted by itself), and
// the difference; every grant and revoke goes through the confirmation dialog.
import { useEffect, useState } from "preact/hooks";
import { getJson, type Component, type GrantChange, type Grants, type PolicyView } from "./api.js";

type Item = { label: string; change: Omit<GrantChange, "action" | "component"> };

function itemsOf(grants: Grants): Item[] {
  const storage = grants.storage.map((s): Item => {
    const access: ("read" | "write")[] = s.write ? ["read", "write"] : ["read"];
    return { label: `storage ${s.path} (${access.join(", ")})`, change: { kind: "storage", target: s.path, access } };
  });
  const network = grants.network.map((h): Item => ({ label: `network ${h}`, change: { kind: "network", target: h } }));
  const environment = grants.environment.map((k): Item => ({ label: `environment ${k}`, change: { kind: "environment", target: k } }));
  return [...storage, ...network, ...environment];
}

export function GrantsPage({ components, selected, onChange, version }: { components: Component[]; selected: string | undefined; onChange: (change: GrantChange) => void; version: number }) {
  const shown = selected && components.some((c) => c.id === selected) ? components.filter((c) => c.id === selected) : components;
  return (
    <>
      <h1>Grants</h1>
      <p>Deny by default: a component touches only what is granted here. The same policy files as the airlock grant command and the MCP grant tools: a change made in one place shows in the others.</p>
      {selected && shown.length === 1 && (
        <p>
          <a href="#/grants">Show every component</a>
        </p>
      )}
      {shown.map((c) => (
        <ComponentGrants key={c.id} id={c.id} onChange={onChange} version={version} />
      ))}
    </>
  );
}

function ComponentGrants({ id, onChange, version }: { id: string; onChange: (change: GrantChange) => void; version: number }) {
  const [view, setView] = useState<PolicyView | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    getJson<PolicyView>(`api/policy/${encodeURIComponent(id)}`).then(setView, (e: Error) => setError(e.message));
  }, [id, version]);
  const granted = view ? itemsOf(view.granted) : [];
  const requested = view?.requested ? itemsOf(view.requested) : undefined;
  const missing = requested?.filter((r) => !granted.some((g) => g.label === r.label)) ?? [];
  const extra = requested ? granted.filter((g) => !requested.some((r) => r.label === g.label)) : [];
  return (
    <section class="card" aria-labelledby={`grants-${id}`}>
      <h2 id={`grants-${id}`}>{id}</h2>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {view?.managedBy && <p class="warning">This store is served from the deployment file {view.managedBy}: grants are changed there, and changes here are refused.</p>}
      {view && (
        <div class="columns">
          <section aria-labelledby={`granted-${id}`}>
            <h3 id={`granted-${id}`}>Granted now</h3>
            {granted.length === 0 ? (
              <p>Nothing: it can touch no file, host or environment variable.</p>
            ) : (
              <ul class="grants">
                {granted.map((g) => (
                  <li key={g.label}>
                    <span>{g.label}</span>{" "}
                    <button type="button" onClick={() => onChange({ component: id, action: "revoke", ...g.change })} aria-label={`Revoke ${g.label} from ${id}`}>
                      Revoke
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {view.granted.privateNetwork && <p>May reach loopback and private addresses through granted names.</p>}
            {(view.limits.memory || view.limits.timeout) && (
              <p>
                Limits: {view.limits.memory ? `memory ${view.limits.memory}` : ""} {view.limits.timeout ? `timeout ${view.limits.timeout}` : ""}
              </p>
            )}
          </section>
          <section aria-labelledby={`requested-${id}`}>
            <h3 id={`requested-${id}`}>Requested by the publisher (not granted automatically)</h3>
            {!requested ? (
              <p>The publisher requests nothing.</p>
            ) : requested.length === 0 ? (
              <p>The publisher requests no permissions.</p>
            ) : (
              <ul class="requested">
                {requested.map((r) => (
                  <li key={r.label}>{r.label}</li>
                ))}
              </ul>
            )}
          </section>
        </div>
      )}
      {requested && (
        <section aria-labelledby={`diff-${id}`}>
          <h3 id={`diff-${id}`}>Requested versus granted</h3>
          {missing.length === 0 && extra.length === 0 && <p>Granted exactly what is requested.</p>}
          <ul class="diff">
            {missing.map((m) => (
              <li key={m.label} class="missing">
                <span>requested, not granted: {m.label}</span>{" "}
                <button type="button" onClick={() => onChange({ component: id, action: "grant", ...m.change })} aria-label={`Grant ${m.label} to ${id}`}>
                  Grant
                </button>
              </li>
            ))}
            {extra.map((e) => (
              <li key={e.label} class="extra">
                granted, not requested: {e.label}
              </li>
            ))}
          </ul>
        </section>
      )}
      <AddGrant id={id} onChange={onChange} />
    </section>
  );
}

function AddGrant({ id, onChange }: { id: string; onChange: (change: GrantChange) => void }) {
  const [kind, setKind] = useState<GrantChange["kind"]>("network");
  const [target, setTarget] = useState("");
  const [write, setWrite] = useState(false);
  const prefix = `add-${id}`;
  const placeholder = kind === "network" ? "api.example.com or localhost:8080" : kind === "storage" ? "/absolute/directory" : "VARIABLE_NAME";
  return (
    <form
      class="add-grant"
      aria-label={`Add a grant to ${id}`}
      onSubmit={(e) => {
        e.preventDefault();
        onChange({ component: id, action: "grant", kind, target: target.trim(), ...(kind === "storage" ? { access: write ? ["read", "write"] : ["read"] } : {}) });
      }}
    >
      <h3>Add a grant</h3>
      <div class="field">
        <label for={`${prefix}-kind`}>Kind</label>
        <select id={`${prefix}-kind`} value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value as GrantChange["kind"])}>
          <option value="network">network host</option>
          <option value="storage">directory</option>
          <option value="environment">environment variable</option>
        </select>
      </div>
      <div class="field">
        <label for={`${prefix}-target`}>{kind === "network" ? "Host" : kind === "storage" ? "Directory" : "Variable"}</label>
        <input id={`${prefix}-target`} value={target} placeholder={placeholder} onInput={(e) => setTarget((e.target as HTMLInputElement).value)} required />
      </div>
      {kind === "storage" && (
        <div class="field checkbox">
          <input id={`${prefix}-write`} type="checkbox" checked={write} onChange={(e) => setWrite((e.target as HTMLInputElement).checked)} />
          <label for={`${prefix}-write`}>also write</label>
        </div>
      )}
      <button type="submit">Review grant</button>
    </form>
  );
}

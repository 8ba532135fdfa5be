// What is loaded: where each component came from (and whether its signature was verified), what
// it may import, and what it offers. Every string here is the component's own: text only.
import type { Component } from "./api.js";
import { SchemaTable } from "./schema.js";

export function ComponentsPage({ components }: { components: Component[] }) {
  return (
    <>
      <h1>Components</h1>
      {components.length === 0 && <p>No components are loaded. Load one with: airlock load FILE.wasm</p>}
      {components.map((c) => (
        <section key={c.id} class="card" aria-labelledby={`component-${c.id}`}>
          <h2 id={`component-${c.id}`}>{c.id}</h2>
          <dl>
            <dt>Source</dt>
            <dd>
              <code>{c.source}</code>
            </dd>
            {c.digest && (
              <>
                <dt>Resolved digest</dt>
                <dd>
                  <code>{c.digest}</code>
                </dd>
              </>
            )}
            <dt>Signature</dt>
            <dd>{c.signature.verified ? `verified, signed by ${c.signature.signer}` : "not verified (unsigned or not required)"}</dd>
            <dt>Version</dt>
            <dd>{c.version ?? "not declared"}</dd>
            <dt>Size</dt>
            <dd>{formatBytes(c.size)}</dd>
            <dt>SHA-256</dt>
            <dd>
              <code>{c.sha256}</code>
            </dd>
            <dt>Grants</dt>
            <dd>
              <a href={`#/grants/${encodeURIComponent(c.id)}`}>{c.requests ? "See grants (its publisher requests permissions)" : "See grants"}</a>
            </dd>
          </dl>
          <h3>Capability world (imports)</h3>
          {c.imports.length === 0 ? (
            <p>Imports nothing: a pure component.</p>
          ) : (
            <ul class="imports">
              {c.imports.map((i) => (
                <li key={i}>
                  <code>{i}</code>
                </li>
              ))}
            </ul>
          )}
          <h3>Tools</h3>
          {c.tools.map((t) => (
            <article key={t.name} class="tool" aria-labelledby={`tool-${t.name}`}>
              <h4 id={`tool-${t.name}`}>
                <code>{t.name}</code>
              </h4>
              <p class="description">{t.description}</p>
              <SchemaTable schema={t.inputSchema} caption={`Arguments of ${t.name}`} />
              <p>
                <a href={`#/try/${encodeURIComponent(t.name)}`}>Try {t.name}</a>
              </p>
            </article>
          ))}
          {c.resources.length > 0 && (
            <>
              <h3>Resources</h3>
              <ul>
                {c.resources.map((r) => (
                  <li key={r.uri ?? r.uriTemplate ?? r.name}>
                    <code>{r.uri ?? r.uriTemplate}</code> {r.name}
                    {r.description ? `: ${r.description}` : ""}
                  </li>
                ))}
              </ul>
            </>
          )}
          {c.prompts.length > 0 && (
            <>
              <h3>Prompts</h3>
              <ul>
                {c.prompts.map((p) => (
                  <li key={p.name}>
                    <code>{p.name}</code>
                    {p.description ? `: ${p.description}` : ""}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      ))}
    </>
  );
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`;
}

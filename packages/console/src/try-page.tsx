// Call a tool from its schema form and see its result, the `_meta` audit summary and the time it
// took. The tool list follows the store: a rebuilt or reloaded component shows at once.
import { useEffect, useState } from "preact/hooks";
import { postJson, type CallResult, type Component } from "./api.js";
import { argumentsOf, SchemaForm, SchemaTable, type FormValues } from "./schema.js";

export function TryPage({ components, selected }: { components: Component[]; selected: string | undefined }) {
  const tools = components.flatMap((c) => c.tools.map((t) => ({ component: c.id, tool: t })));
  const [name, setName] = useState(selected ?? tools[0]?.tool.name ?? "");
  const [values, setValues] = useState<FormValues>({});
  const [result, setResult] = useState<CallResult | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (selected) setName(selected);
  }, [selected]);
  const chosen = tools.find((t) => t.tool.name === name);

  const call = async (e: Event) => {
    e.preventDefault();
    if (!chosen) return;
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await postJson<CallResult>("api/call", { tool: chosen.tool.name, arguments: argumentsOf(chosen.tool.inputSchema, values) }));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>Try a tool</h1>
      {tools.length === 0 ? (
        <p>No tools are loaded.</p>
      ) : (
        <form onSubmit={call} aria-label="Call a tool">
          <div class="field">
            <label for="try-tool">Tool</label>
            <select
              id="try-tool"
              value={name}
              onChange={(e) => {
                setName((e.target as HTMLSelectElement).value);
                setValues({});
                setResult(undefined);
              }}
            >
              {components.map((c) => (
                <optgroup key={c.id} label={c.id}>
                  {c.tools.map((t) => (
                    <option key={t.name} value={t.name}>
                      {t.name}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </div>
          {chosen ? (
            <>
              <p class="description">{chosen.tool.description}</p>
              <SchemaTable schema={chosen.tool.inputSchema} caption={`Arguments of ${chosen.tool.name}`} />
              <fieldset>
                <legend>Arguments</legend>
                <SchemaForm schema={chosen.tool.inputSchema} values={values} onInput={setValues} idPrefix={`arg-${chosen.tool.name}`} />
              </fieldset>
              <button type="submit" class="primary" disabled={busy}>
                {busy ? "Calling..." : `Call ${chosen.tool.name}`}
              </button>
            </>
          ) : (
            <p class="warning">The tool {name} is no longer loaded.</p>
          )}
        </form>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <section aria-labelledby="result-title" class="result">
          <h2 id="result-title">
            {result.result.isError ? "Error" : "Result"} in {result.durationMs} ms
          </h2>
          {result.result.content.map((c, i) => (
            <pre key={i} class="content">
              {c.type === "text" ? c.text : `(${c.type}${c.mimeType ? ` ${c.mimeType}` : ""})`}
            </pre>
          ))}
          {result.result.structuredContent !== undefined && (
            <>
              <h3>Structured content</h3>
              <pre class="structured">{JSON.stringify(result.result.structuredContent, null, 2)}</pre>
            </>
          )}
          <h3>_meta</h3>
          <pre class="meta">{result.result._meta ? JSON.stringify(result.result._meta, null, 2) : "(none: the call made no capability decisions)"}</pre>
        </section>
      )}
    </>
  );
}

// Every grant and revoke is confirmed here first, showing the policy before and after: exactly
// what will change. The server refuses (a store managed by a deployment file, an invalid path)
// with its own message, shown as it is.
import { useEffect, useRef, useState } from "preact/hooks";
import { describeChange, postJson, type GrantChange } from "./api.js";

interface Preview {
  before: string;
  after: string;
  warning?: string;
}

export function ConfirmDialog({ change, onClose }: { change: GrantChange; onClose: (done: boolean) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [preview, setPreview] = useState<Preview | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | undefined>();

  useEffect(() => {
    dialog.current?.showModal();
    postJson<Preview>("api/preview", change).then(setPreview, (e: Error) => setError(e.message));
  }, [change]);

  const confirm = async () => {
    setBusy(true);
    try {
      await postJson("api/grants", change);
      setDone(`${describeChange(change)}: done. The next call uses the new policy.`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const close = () => {
    dialog.current?.close();
    onClose(done !== undefined);
  };

  return (
    <dialog ref={dialog} aria-labelledby="confirm-title" onCancel={close}>
      <h2 id="confirm-title">Confirm: {describeChange(change)}</h2>
      {preview && (
        <div class="columns">
          <section aria-label="Policy now">
            <h3>Policy now</h3>
            <pre>{preview.before}</pre>
          </section>
          <section aria-label="Policy after">
            <h3>Policy after</h3>
            <pre>{preview.after}</pre>
          </section>
        </div>
      )}
      {preview?.warning && <p class="warning">Warning: {preview.warning}</p>}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {done && (
        <p class="ok" role="status">
          {done}
        </p>
      )}
      <div class="actions">
        {!done && (
          <button type="button" class="primary" onClick={confirm} disabled={busy || !preview || error !== undefined}>
            {change.action === "grant" ? "Grant" : "Revoke"}
          </button>
        )}
        <button type="button" onClick={close}>
          {done ? "Close" : "Cancel"}
        </button>
      </div>
    </dialog>
  );
}

// The tool's package version, carried inside its component in a custom section named `version`:
// the name and plain UTF-8 content that wasm-metadata (`wasm-tools metadata show`) uses for the
// OCI `org.opencontainers.image.version` annotation.
import { readCustomSections } from "@airlock/wit-parser";

export const VERSION_SECTION = "version";

/** The version a component carries, or undefined when it has none. */
export function componentVersion(bytes: Uint8Array): string | undefined {
  const section = readCustomSections(bytes).find((s) => s.name === VERSION_SECTION);
  return section ? new TextDecoder().decode(section.payload) : undefined;
}

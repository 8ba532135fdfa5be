// Placeholders in case files: {tool} (the tool folder), {http} (the static server's base URL)
// and {http-host} (its host:port, the network grant for it).

export interface Placeholders {
  tool: string;
  http?: string;
  "http-host"?: string;
}

export function substitute<T>(value: T, values: Placeholders): T {
  if (typeof value === "string") {
    return value.replace(/\{(tool|http|http-host)\}/g, (whole, name: keyof Placeholders) => {
      const replacement = values[name];
      if (replacement === undefined) throw new Error(`${whole} is used but the tool has no conformance/www/ folder to serve`);
      return replacement;
    }) as T;
  }
  if (Array.isArray(value)) return value.map((v: unknown) => substitute(v, values)) as T;
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, values)])) as T;
  }
  return value;
}

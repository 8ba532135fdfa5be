// Text for commands the host prints (a `chmod` to fix a file, the `airlock grant` that would allow
// a denial): every argument as one shell word, so the command runs as printed and a path a guest
// chose (`/tmp/x; rm -rf ~`) stays a path when pasted into a shell.

/** `word` as one shell word: unchanged when it is plain, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

// The bearer token `serve --http` requires: any local process can reach a loopback port, and
// the built-in tools grant files and network, so only clients that can read the token (a 0600
// file under $AIRLOCK_HOME, created on first use) may talk to the server. The file is opened
// without following symlinks and checked through the open handle, so what is checked is what is
// read; a new token is created 0600 from the start, never chmod-ed afterwards.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { constants } from "node:fs";
import { mkdir, open, readFile, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { UserError } from "../errors.js";
import { shellQuote } from "../shell-quote.js";

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL } = constants;
// Windows has neither; there a token file is just read and written.
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = constants.O_NONBLOCK ?? 0; // a FIFO at the path must not hang the open

export function tokenFile(homeRoot: string): string {
  return join(homeRoot, "http-token");
}

/**
 * The token in `file`, made (random, owner-only) if there is none or it is unusable. `secret`
 * names what the token is in messages (the same file rules keep the MRTR state key).
 */
export async function loadOrCreateToken(file: string, secret = "the bearer token"): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const existing = await readToken(file, secret);
    if (existing !== undefined && isUsable(existing)) return existing;
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const token = randomBytes(32).toString("base64url");
    if (existing !== undefined) {
      // Too short or empty: a fresh 0600 file renamed over it, so no moment has the new token
      // under the old file's mode.
      const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
      await createExclusive(temp, token);
      await rename(temp, file).catch(async (error: unknown) => {
        await unlink(temp).catch(() => undefined);
        throw error;
      });
      return token;
    }
    try {
      await createExclusive(file, token);
      return token;
    } catch (error) {
      // Another `serve` made it first (use theirs), or something appeared there: check it again.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw error;
    }
  }
}

/** Whether a client could send it: 32+ characters a header can carry, none of them spaces. */
const isUsable = (token: string) => /^[!-~]{32,}$/.test(token);

/** The trimmed contents of `file`, undefined if there is none; refuses a file others control. */
async function readToken(file: string, secret: string): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    if (code === "ELOOP" || code === "EMLINK") throw refuse(file, "is a symbolic link, and the token must be a file of your own");
    throw error;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw refuse(file, "is not a regular file", info.isDirectory() ? "rm -r" : "rm");
    const uid = process.getuid?.();
    if (uid !== undefined && info.uid !== uid) throw refuse(file, `belongs to another user (uid ${info.uid}, you are ${uid}), who can read or replace the token`);
    if (uid !== undefined && (info.mode & 0o077) !== 0) {
      const mode = (info.mode & 0o777).toString(8).padStart(4, "0");
      throw new UserError(
        `${file} has mode ${mode}: other users can read or change ${secret}. Run \`chmod 600 ${shellQuote(file)}\`, ` +
          `or \`rm ${shellQuote(file)}\` if someone may have read it (a new token is made on the next start)`,
      );
    }
    return (await handle.readFile("utf8")).trim();
  } finally {
    await handle.close();
  }
}

function refuse(file: string, what: string, remove = "rm"): UserError {
  return new UserError(`${file} ${what}: remove it with \`${remove} ${shellQuote(file)}\` and start again (a new token is made)`);
}

/** Creates `file` with `token`, failing if anything (a symlink included) is already there. */
async function createExclusive(file: string, token: string): Promise<void> {
  const handle = await open(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
  try {
    await handle.chmod(0o600); // a umask like 0377 would leave it unreadable to us
    await handle.writeFile(`${token}\n`);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(file).catch(() => undefined);
    throw error;
  }
  await handle.close();
}

/** Whether an Authorization header carries `token`, compared in constant time. */
export function hasToken(authorization: string | string[] | undefined, token: string): boolean {
  if (typeof authorization !== "string") return false;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) return false;
  const given = Buffer.from(match[1]!);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * A token an operator provides (a deployment file's tokenFile: a mounted Kubernetes Secret is a
 * symbolic link owned by root), read as it is: a regular file, not writable by others, holding a
 * token long enough not to be guessed.
 */
export async function readProvidedToken(file: string, key: string): Promise<string> {
  let info;
  let token;
  try {
    info = await stat(file);
    token = info.isFile() ? (await readFile(file, "utf8")).trim() : undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`${key}: cannot read ${file}: ${code === "ENOENT" ? "no such file" : (error as Error).message}: write a token into it, e.g. openssl rand -hex 32 > ${shellQuote(file)}`);
  }
  if (token === undefined) throw new UserError(`${key}: ${file} is not a regular file: give the file that holds the bearer token`);
  if ((info.mode & 0o002) !== 0) throw new UserError(`${key}: ${file} is writable by every user, who could replace the token: chmod o-w ${shellQuote(file)}`);
  if (token.length < 32 || /\s/.test(token)) {
    throw new UserError(`${key}: ${file} must hold one token of at least 32 characters without spaces (it holds ${token.length}): e.g. openssl rand -hex 32 > ${shellQuote(file)}`);
  }
  return token;
}

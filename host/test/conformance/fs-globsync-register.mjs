// Lets @modelcontextprotocol/conformance 0.2.0-alpha.x (installed as conformance-next) run on
// Node 20. It imports `globSync` from "fs", which Node has only from 22, and uses it for one thing:
// finding `**/checks.json` under a results directory. Node 20 then refuses to load the package at
// all ("does not provide an export named 'globSync'"). Load with
// NODE_OPTIONS="--import <this file>": the resolve hook in fs-globsync-hooks.mjs hands that
// package (and only it) fs-with-globsync.mjs instead of "fs". Remove once Node 22 is the floor.
import { register } from "node:module";

register("./fs-globsync-hooks.mjs", import.meta.url);

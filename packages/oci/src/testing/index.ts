// @airlock/oci/testing: a real local registry for tests (the host's end-to-end tests use it too).
export { PASSWORD, READER, startRegistry, USER, type Registry } from "./registry.js";
export { startTokenServer, type Account, type TokenServer } from "./token-server.js";

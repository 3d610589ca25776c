/** Replaced when the package is built (tsup.config.ts → define): a hash of every schema source file. */
declare const __GODMODE_PROTOCOL_REVISION__: string | undefined;

/**
 * Which schemas this copy of the protocol holds: the SHA-256 (hex, first 16) of its source files, fixed when it
 * is built, so two builds with the same schemas agree and any change to a schema gives another revision.
 * `undefined` when the protocol runs from its TypeScript source (tests), where nothing may be assumed of it.
 */
export const protocolRevision: string | undefined =
  typeof __GODMODE_PROTOCOL_REVISION__ === 'string' ? __GODMODE_PROTOCOL_REVISION__ : undefined;

// Node's arguments for running one of our TypeScript entry points in a child process the way
// `npm start` runs the server: Node's own type stripping with scripts/ts-hooks.mjs.
export const RUN_TS = ['--import', new URL('../../scripts/ts-hooks.mjs', import.meta.url).href];

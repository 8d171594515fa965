/** The composition root, as main.ts, the CLI, the tests and the benchmark use it. */
export { startApp, type Log, type RunningApp } from './app';
export { buildAppSchema, buildBareSchema, printAppSchema, resolvers } from './schema';
export { entities, preloads } from './features';
export { createRequestContext } from './context';
export { queryExampleStatements, querySnapshots, writeQuerySnapshots } from './queries';

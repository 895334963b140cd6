// Test support for the integration tests, the gateway's ops e2e test and the deploy dry run:
// a real kube-apiserver started from the cached binary, builders for the objects it serves, and
// RBAC helpers. Reached as `@lateral/kube-status/testing`, never through the package's main
// entry, so production code (the gateway image) cannot load it by accident.
export * from './kube-builders.js';
export {
  apiServerBinary,
  missingBinaries,
  startTestApiServer,
  type TestApiServer,
} from './test-api-server.js';
export { bindRolesTo, eventually } from './test-rbac.js';
export { image, NEW_SHA, OLD_SHA, WikiScenario } from './wiki-scenario.js';

// The part of @lateral/kube-status that talks to the Kubernetes API. It loads
// @kubernetes/client-node (~800 modules, 0.7 s of a process's start-up), so it has its own entry:
// the gateway imports it only when the operations view is on, and the root entry stays free of it
// (eslint.config.js keeps it so).
export { loadKubeTarget } from './kube-access.js';
export { KubeStatusWatcher, type KubeStatusOptions } from './kube-status.watcher.js';
export { EXIT, runOpsCli, USAGE } from './cli/ops-cli.js';

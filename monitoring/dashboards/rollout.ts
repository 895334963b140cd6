import { q, table, timeseries, type DashboardSpec } from './grafana.js';

const NS = 'namespace=~"$namespace"';
const DEPLOY = `${NS}, deployment=~"$deployment"`;
const APP = 'name=~"$app"';

export const rollout: DashboardSpec = {
  uid: 'lateral-rollout',
  title: 'Lateral / Rollouts',
  description:
    'What is running and whether a rollout is progressing: versions, ready replicas, restarts, Argo CD sync and health.',
  deployMarkerSelector: NS,
  variables: [
    {
      name: 'namespace',
      label: 'Namespace',
      // `up` outlives crashed pods (it turns 0), so the view still lists a broken namespace.
      query: 'label_values(up{job=~".*lateral.*"}, namespace)',
    },
    {
      name: 'deployment',
      label: 'Deployment',
      query: `label_values(kube_deployment_spec_replicas{${NS}}, deployment)`,
      multi: true,
      includeAll: true,
    },
    {
      name: 'app',
      label: 'Argo CD application',
      query: 'label_values(argocd_app_info{dest_namespace=~"$namespace"}, name)',
      multi: true,
      includeAll: true,
    },
  ],
  rows: [
    {
      title: 'Versions',
      panels: [
        table(
          'Versions running',
          [q(`count by (service, version, git_sha) (lateral_build_info{${NS}})`, 'pods')],
          { width: 10, description: 'Pods per service and version; two versions = mid-rollout.' },
        ),
        timeseries(
          'Pods per version',
          [q(`count by (service, version) (lateral_build_info{${NS}})`, '{{service}} {{version}}')],
          { unit: 'short', width: 14, stack: true, description: 'A rollout shows as a hand-over.' },
        ),
      ],
    },
    {
      title: 'Replicas and restarts',
      panels: [
        timeseries(
          'Ready vs desired replicas',
          [
            q(
              `max by (deployment) (kube_deployment_spec_replicas{${DEPLOY}})`,
              '{{deployment}} desired',
            ),
            q(
              `max by (deployment) (kube_deployment_status_replicas_ready{${DEPLOY}})`,
              '{{deployment}} ready',
            ),
            q(
              `max by (deployment) (kube_deployment_status_replicas_updated{${DEPLOY}})`,
              '{{deployment}} updated',
            ),
          ],
          {
            unit: 'short',
            width: 8,
            description: 'From kube-state-metrics. Ready below desired for 10 minutes alerts.',
          },
        ),
        timeseries(
          'Container restarts',
          [
            q(
              `sum by (pod, container) (increase(kube_pod_container_status_restarts_total{${NS}}[$__rate_interval]))`,
              '{{pod}} {{container}}',
            ),
          ],
          { unit: 'short', width: 8, bars: true, description: 'Restarts in each interval.' },
        ),
        timeseries(
          'Metrics targets up',
          [q(`sum by (job) (up{job=~".*lateral.*", ${NS}})`, '{{job}} up')],
          { unit: 'short', width: 8, description: 'Pods Prometheus scrapes successfully.' },
        ),
      ],
    },
    {
      title: 'Argo CD',
      panels: [
        table(
          'Applications',
          [
            q(
              `max by (name, project, sync_status, health_status) (argocd_app_info{${APP}})`,
              'apps',
            ),
          ],
          { width: 10, description: 'Sync and health as Argo CD reports them now.' },
        ),
        timeseries(
          'Sync and health over time',
          [
            q(`count by (sync_status) (argocd_app_info{${APP}})`, '{{sync_status}}'),
            q(`count by (health_status) (argocd_app_info{${APP}})`, '{{health_status}}'),
          ],
          {
            unit: 'short',
            width: 7,
            description: 'OutOfSync for 30 minutes or Degraded for 10 minutes alerts.',
          },
        ),
        timeseries(
          'Sync operations by phase',
          [
            q(
              `sum by (name, phase) (increase(argocd_app_sync_total{${APP}}[$__rate_interval]))`,
              '{{name}} {{phase}}',
            ),
          ],
          { unit: 'short', width: 7, bars: true },
        ),
      ],
    },
  ],
};

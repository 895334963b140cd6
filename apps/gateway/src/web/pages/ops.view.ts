import {
  type ApplicationStatus,
  type EventSummary,
  type OpsSnapshot,
  type ServiceStatus,
  shortSha,
  type SourceProblem,
} from '@lateral/kube-status';
import { html, type SafeHtml } from '../html.js';
import { alert, timeAgo } from '../components/components.js';
import { pageView, partialView, type View } from '../render/view.js';
import { type OpsState } from '../platform.js';

/** Seconds between refreshes of the live panel (in-memory state; no Kubernetes call). */
export const LIVE_SECONDS = 3;

const when = (iso: string | undefined, now: Date): SafeHtml =>
  iso ? timeAgo(new Date(iso), now) : html`—`;

const sha = (value: string | undefined): SafeHtml =>
  value ? html`<code title="${value}">${shortSha(value)}</code>` : html`—`;

/** A word and a class the stylesheet may colour; the word alone carries the meaning. */
const badge = (text: string, tone: 'ok' | 'warn' | 'bad' | 'neutral') =>
  html`<strong class="status ${tone}">${text}</strong>`;

const rolloutTone = {
  complete: 'ok',
  progressing: 'warn',
  paused: 'neutral',
  stuck: 'bad',
} as const;

function problemAlert(p: SourceProblem): SafeHtml {
  return p.state === 'forbidden'
    ? alert(
        'error',
        html`<strong>Forbidden</strong> (${p.source}): ${p.message}. The gateway’s Role needs
          <code>get</code>, <code>list</code> and <code>watch</code> on it (docs/ops.md).`,
      )
    : alert('error', html`<strong>Kubernetes API unavailable</strong> (${p.source}): ${p.message}`);
}

/** The tag, plus the git SHA when the tag does not already say it (a version tag like 1.4.0). */
function version(tag: string | undefined, gitSha: string | undefined): SafeHtml {
  if (!tag) return sha(gitSha);
  if (!gitSha || tag.toLowerCase().includes(shortSha(gitSha).toLowerCase())) {
    return html`<code title="${gitSha ?? ''}">${tag}</code>`;
  }
  return html`<code>${tag}</code> ${sha(gitSha)}`;
}

function versionsCell(s: ServiceStatus): SafeHtml {
  if (s.versions.length <= 1) return version(s.tag, s.gitSha);
  return html`<ul class="ops-versions">
    ${s.versions.map(
      (v) =>
        html`<li>
          ${version(v.tag, v.gitSha)} ${v.ready}/${v.replicas}
          ready${v.current ? ' (new)' : ' (old)'}
        </li>`,
    )}
  </ul>`;
}

function serviceRow(s: ServiceStatus, now: Date): SafeHtml {
  const recent = s.restarts.recent;
  return html`<tr data-service="${s.service}">
    <th scope="row">${s.service}</th>
    <td>${versionsCell(s)}</td>
    <td>${s.ready}/${s.desired}</td>
    <td>
      ${badge(s.rollout.state, rolloutTone[s.rollout.state])} ${s.rollout.message}
      ${
        s.rollout.conditions.length
          ? html`<details>
              <summary>
                Conditions${s.rollout.revision ? ` (revision ${s.rollout.revision})` : ''}
              </summary>
              <ul>
                ${s.rollout.conditions.map(
                  (c) =>
                    html`<li>
                      ${c.type}=${c.status}${c.reason ? html` <em>${c.reason}</em>` : ''}${c.message ? `: ${c.message}` : ''}
                    </li>`,
                )}
              </ul>
            </details>`
          : ''
      }
    </td>
    <td>
      ${s.restarts.total}
      ${
        recent.length
          ? html`<ul class="ops-restarts">
              ${recent.map(
                (r) =>
                  html`<li>
                    ${r.pod}: ${r.restartCount}×
                    ${r.lastReason ?? ''}${r.lastExitCode !== undefined ? ` (exit ${r.lastExitCode})` : ''}
                    ${when(r.lastFinishedAt, now)}
                  </li>`,
              )}
            </ul>`
          : ''
      }
    </td>
  </tr>`;
}

const syncTone = (a: ApplicationStatus) =>
  a.sync === 'Synced' ? 'ok' : a.sync === 'OutOfSync' ? 'warn' : 'neutral';
const healthTone = (health: string) =>
  health === 'Healthy' ? 'ok' : health === 'Degraded' || health === 'Missing' ? 'bad' : 'warn';

function applicationRow(a: ApplicationStatus, now: Date): SafeHtml {
  const last = a.lastSync;
  return html`<tr data-application="${a.name}">
    <th scope="row">${a.name}</th>
    <td>${badge(a.sync, syncTone(a))}</td>
    <td>
      ${badge(a.health, healthTone(a.health))}${a.healthMessage ? html` ${a.healthMessage}` : ''}
    </td>
    <td>${sha(a.revision)}</td>
    <td>
      ${
        last
          ? html`${badge(last.phase, last.phase === 'Succeeded' ? 'ok' : last.phase === 'Running' ? 'warn' : 'bad')}
            ${when(last.finishedAt ?? last.startedAt, now)}${last.message ? html`<br /><small>${last.message}</small>` : ''}`
          : html`—`
      }
      ${a.conditions.map((c) => html`<br /><small>${c.type}: ${c.message ?? ''}</small>`)}
    </td>
  </tr>`;
}

const eventRow = (e: EventSummary, now: Date) =>
  html`<tr data-event-type="${e.type}">
    <td>${when(e.lastSeen, now)}</td>
    <td>${e.type === 'Normal' ? e.type : badge(e.type, 'bad')}</td>
    <td>${e.reason}</td>
    <td>${e.object}</td>
    <td>${e.message}${e.count > 1 ? ` (×${e.count})` : ''}</td>
  </tr>`;

function snapshotBody(s: OpsSnapshot, now: Date): SafeHtml {
  return html`<p class="meta">
      Namespace <code>${s.namespace}</code> on <code>${s.server}</code>, Argo CD in
      <code>${s.argoCdNamespace}</code>. Updated ${when(s.observedAt, now)}.
    </p>
    ${s.problems.map(problemAlert)}
    ${s.synced ? '' : alert('info', 'Connecting to the Kubernetes API…')}
    <h2>Services</h2>
    ${
      s.services.length
        ? html`<table class="ops-services">
            <thead>
              <tr>
                <th>Service</th>
                <th>Running</th>
                <th>Ready</th>
                <th>Rollout</th>
                <th>Restarts</th>
              </tr>
            </thead>
            <tbody>
              ${s.services.map((svc) => serviceRow(svc, now))}
            </tbody>
          </table>`
        : html`<p class="empty">
            No Deployments labelled <code>app.kubernetes.io/part-of=lateral</code> in this
            namespace.
          </p>`
    }
    <h2>Argo CD</h2>
    ${
      s.applications.length
        ? html`<table class="ops-applications">
            <thead>
              <tr>
                <th>Application</th>
                <th>Sync</th>
                <th>Health</th>
                <th>Revision</th>
                <th>Last sync</th>
              </tr>
            </thead>
            <tbody>
              ${s.applications.map((a) => applicationRow(a, now))}
            </tbody>
          </table>`
        : html`<p class="empty">No Argo CD Applications of the wiki.</p>`
    }
    <h2>Recent events</h2>
    ${
      s.events.length
        ? html`<table class="ops-events">
            <thead>
              <tr>
                <th>Seen</th>
                <th>Type</th>
                <th>Reason</th>
                <th>Object</th>
                <th>Message</th>
              </tr>
            </thead>
            <tbody>
              ${s.events.map((e) => eventRow(e, now))}
            </tbody>
          </table>`
        : html`<p class="empty">
            No recent events in this namespace (Kubernetes keeps them about an hour).
          </p>`
    }`;
}

/** The panel htmx replaces every few seconds; it carries its own polling attributes. */
function livePanel(state: OpsState, now: Date): SafeHtml {
  const body = !state.enabled
    ? alert('info', state.message)
    : state.snapshot === null
      ? alert(state.starting ? 'info' : 'error', state.message)
      : snapshotBody(state.snapshot, now);
  // Not while off or misconfigured: only a restart with other settings changes those.
  const poll = state.enabled && (state.snapshot !== null || state.starting === true);
  return html`<section
    id="ops-live"
    aria-live="polite"
    ${poll ? html`hx-get="/ops/live" hx-trigger="every ${LIVE_SECONDS}s" hx-target="this" hx-swap="outerHTML"` : ''}
  >
    ${body}
  </section>`;
}

export function opsPageView(state: OpsState, now: Date): View {
  return pageView(
    'Operations',
    html`<h1>Operations</h1>
      ${livePanel(state, now)}`,
    { wide: true },
  );
}

export const opsLiveView = (state: OpsState, now: Date): View => partialView(livePanel(state, now));

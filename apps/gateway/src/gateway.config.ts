import { env, serviceEnvSchema, toServiceConfig, type ServiceConfig } from '@lateral/config';
import { ROLES, type Role } from '@lateral/identity';
import { type KubeAccess } from '@lateral/kube-status';
import { z } from 'zod';

/**
 * Every variable the gateway reads, validated at boot. Nothing else in the app reads
 * `process.env`: features receive the typed {@link GatewayConfig}.
 */
export const gatewayEnvSchema = serviceEnvSchema
  .extend({
    PORT: env.port().default(8080),
    METRICS_PORT: env.port().default(9080),
    /** The gateway's own database: users, sessions and API tokens. */
    DATABASE_URL: env.postgresUrl(),
    DATABASE_POOL_MAX: env.positiveInt().default(5),
    NOTES_URL: env.url(),
    MEDIA_URL: env.url(),
    /** Where people reach the wiki; OIDC redirect URIs and absolute links derive from it. */
    PUBLIC_URL: env.url(),
    SESSION_SECRET: env.secret(),
    /** An admin bearer token for first setup and automation. */
    LATERAL_BOOTSTRAP_TOKEN: env.secret(24).optional(),
    /** `false` only for local http: drops `Secure` and the `__Host-` cookie prefix. */
    COOKIE_SECURE: env.boolean().default(true),
    SESSION_TTL_HOURS: env.positiveInt().default(24 * 14),
    OIDC_ISSUER_URL: env.url().optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    /** Role given to people who first sign in through OIDC. */
    OIDC_DEFAULT_ROLE: z.enum(ROLES).default('editor'),
    /** Scopes asked for; add the one your provider needs for the groups claim (often `groups`). */
    OIDC_SCOPES: z.string().min(1).default('openid email profile'),
    /** The claim (ID token or userinfo) listing a person's groups. */
    OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
    /**
     * Comma-separated groups per role. When any is set, every OIDC sign-in sets the person's role
     * from their groups (the highest that matches; none: OIDC_DEFAULT_ROLE).
     */
    OIDC_ADMIN_GROUPS: z.string().optional(),
    OIDC_EDITOR_GROUPS: z.string().optional(),
    OIDC_READER_GROUPS: z.string().optional(),
    /**
     * `true`: the provider's verified e-mail may link its account to a local account with the
     * same e-mail at first sign-in. Only for a provider that owns the domain's mailboxes:
     * otherwise anyone who can get that e-mail verified there takes the account over.
     */
    OIDC_TRUSTED_EMAIL_LINKING: env.boolean().default(false),
    /** How long an invite link works. */
    INVITE_TTL_HOURS: env.positiveInt().default(24 * 7),
    /** How long a password reset link works. */
    PASSWORD_RESET_TTL_MINUTES: env.positiveInt().default(60),
    /**
     * Mail for invite and reset links (optional): `smtp://user:password@host:587` (STARTTLS when
     * the server offers it) or `smtps://…:465`. Unset: nothing is mailed, admins copy the links,
     * and "Forgot password" tells people to ask an admin.
     */
    SMTP_URL: z
      .url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' })
      .optional(),
    /** The sender of those mails, e.g. `Lateral <wiki@example.com>`; required with SMTP_URL. */
    SMTP_FROM: z.string().min(3).max(200).optional(),
    /** Connect, greeting and socket timeout towards the mail server. */
    SMTP_TIMEOUT_MS: env.positiveInt().default(10_000),
    /** "Forgot password" requests per client IP and per e-mail address. */
    RATE_LIMIT_RESET_REQUESTS_PER_HOUR: env.positiveInt().default(5),
    /** Longest lifetime of a personal API token made on /settings or /api/v1/me/tokens. */
    API_TOKEN_MAX_DAYS: env.positiveInt().default(365),
    /** Created at boot when the users table is empty; otherwise a random password is logged once. */
    LATERAL_ADMIN_EMAIL: z.email().default('admin@lateral.local'),
    LATERAL_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
    UPSTREAM_CONNECT_TIMEOUT_MS: env.positiveInt().default(2000),
    /** Time to the first response byte from notes (media uploads get the media processing budget). */
    UPSTREAM_HEADERS_TIMEOUT_MS: env.positiveInt().default(15_000),
    UPSTREAM_BODY_TIMEOUT_MS: env.positiveInt().default(30_000),
    UPSTREAM_MEDIA_TIMEOUT_MS: env.positiveInt().default(65_000),
    UPSTREAM_POOL_CONNECTIONS: env.positiveInt().default(64),
    MEDIA_MAX_UPLOAD_BYTES: env.bytes().default(50 * 1024 * 1024),
    /**
     * How often images no page, version or draft uses are deleted from media (docs/media.md,
     * "Collecting unused images"); 0 turns the schedule off (POST /api/v1/admin/media-collection
     * still runs it).
     */
    MEDIA_COLLECTION_INTERVAL_HOURS: env.nonNegativeInt().default(24),
    /** An image younger than this is never collected: an upload not yet in a page or draft. */
    MEDIA_COLLECTION_GRACE_HOURS: env.positiveInt().default(24),
    IMPORT_MAX_BYTES: env.bytes().default(200 * 1024 * 1024),
    IMPORT_MAX_UNCOMPRESSED_BYTES: env.bytes().default(512 * 1024 * 1024),
    IMPORT_MAX_FILES: env.positiveInt().default(5000),
    /** A page larger than notes accepts (NOTES_MAX_REQUEST_BYTES, 1 MiB) is left out unread. */
    IMPORT_MAX_PAGE_BYTES: env.bytes().default(1024 * 1024),
    /** Wall-clock budget to unpack one archive, nested zips included. */
    IMPORT_UNZIP_TIMEOUT_MS: env.positiveInt().default(30_000),
    /** Imports at once; each may hold IMPORT_MAX_UNCOMPRESSED_BYTES until it is stored. */
    IMPORT_CONCURRENCY: env.positiveInt().default(1),
    /** Imports allowed to wait for a slot; past this, imports answer 503 with Retry-After. */
    IMPORT_QUEUE_CAPACITY: env.nonNegativeInt().default(4),
    /** Login attempts per client IP: the bucket size, refilled evenly over a minute. */
    RATE_LIMIT_LOGIN_PER_MINUTE: env.positiveInt().default(10),
    /** API requests per token or user, refilled evenly over a minute. */
    RATE_LIMIT_API_PER_MINUTE: env.positiveInt().default(1200),
    /** Web UI requests (pages, fragments, previews) per user, else client IP, over a minute. */
    RATE_LIMIT_WEB_PER_MINUTE: env.positiveInt().default(600),
    /** Wrong current passwords per user when changing it, refilled evenly over 15 minutes. */
    RATE_LIMIT_PASSWORD_FAILURES_PER_15_MIN: env.positiveInt().default(5),
    /** How many reverse proxies (ingress) sit in front; their X-Forwarded-For entries are trusted. */
    TRUST_PROXY_HOPS: env.nonNegativeInt().default(0),
    /**
     * The operations page's access to the Kubernetes API: `in-cluster` (the pod's
     * ServiceAccount, with the chart's Role), `kubeconfig` (OPS_KUBECONFIG, else $KUBECONFIG or
     * ~/.kube/config), `off`. Unset: `kubeconfig` when OPS_KUBECONFIG is set, else `off`.
     */
    OPS_KUBERNETES: z.enum(['off', 'in-cluster', 'kubeconfig']).optional(),
    OPS_KUBECONFIG: z.string().min(1).optional(),
    OPS_KUBE_CONTEXT: z.string().min(1).optional(),
    /** The wiki's namespace; default: the pod's, or the kubeconfig context's. */
    OPS_NAMESPACE: z.string().min(1).optional(),
    OPS_ARGOCD_NAMESPACE: z.string().min(1).default('argocd'),
    /** Label selector of the wiki's Applications (e.g. `lateral/environment=dev`); default: by destination namespace. */
    OPS_ARGOCD_SELECTOR: z.string().min(1).optional(),
  })
  .superRefine((value, ctx) => {
    const oidc = ['OIDC_ISSUER_URL', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const;
    const set = oidc.filter((key) => value[key] !== undefined);
    if (set.length > 0 && set.length < oidc.length) {
      for (const key of oidc.filter((k) => value[k] === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `must be set together with ${set.join(', ')}`,
        });
      }
    }
    if (value.SMTP_URL && !value.SMTP_FROM) {
      ctx.addIssue({ code: 'custom', path: ['SMTP_FROM'], message: 'must be set with SMTP_URL' });
    }
  });

export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;

export interface OidcConfig {
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  defaultRole: Role;
  trustedEmailLinking: boolean;
  scopes: string;
  groupsClaim: string;
  /** Groups per role, highest role first; undefined: roles are not taken from groups. */
  roleGroups: { role: Role; groups: string[] }[] | undefined;
}

function groupList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((group) => group.trim())
    .filter(Boolean);
}

/** The operations page (src/ops); `access` undefined: off, and the page says so. */
export interface OpsConfig {
  access: KubeAccess | undefined;
  namespace: string | undefined;
  argoCdNamespace: string;
  applicationSelector: string | undefined;
}

/** The typed config; a class so Nest can inject it by type. */
export class GatewayConfig {
  readonly service: ServiceConfig;
  readonly databaseUrl: string;
  readonly databasePoolMax: number;
  readonly notesUrl: string;
  readonly mediaUrl: string;
  readonly publicUrl: URL;
  readonly sessionSecret: string;
  readonly bootstrapToken: string | undefined;
  readonly cookieSecure: boolean;
  readonly sessionTtlMs: number;
  readonly oidc: OidcConfig | undefined;
  readonly admin: { email: string; password: string | undefined };
  readonly people: { inviteTtlMs: number; resetTtlMs: number; tokenMaxDays: number };
  /** Undefined: no mail server, links are copied by hand. */
  readonly smtp: { url: string; from: string; timeoutMs: number } | undefined;
  readonly upstream: {
    connectTimeoutMs: number;
    headersTimeoutMs: number;
    bodyTimeoutMs: number;
    mediaTimeoutMs: number;
    connections: number;
  };
  readonly limits: {
    mediaUploadBytes: number;
    importBytes: number;
    importUncompressedBytes: number;
    importFiles: number;
    importPageBytes: number;
    importUnzipTimeoutMs: number;
    importConcurrency: number;
    importQueueCapacity: number;
  };
  readonly rateLimits: {
    loginPerMinute: number;
    apiPerMinute: number;
    webPerMinute: number;
    passwordFailuresPer15Min: number;
    resetRequestsPerHour: number;
  };
  readonly trustProxyHops: number;
  readonly ops: OpsConfig;
  /** Collecting unused images: `intervalMs` 0 = not on a schedule. */
  readonly mediaCollection: { intervalMs: number; graceMs: number };

  constructor(e: GatewayEnv) {
    this.service = toServiceConfig('gateway', e.PORT, e);
    this.databaseUrl = e.DATABASE_URL;
    this.databasePoolMax = e.DATABASE_POOL_MAX;
    this.notesUrl = e.NOTES_URL;
    this.mediaUrl = e.MEDIA_URL;
    this.publicUrl = new URL(e.PUBLIC_URL);
    this.sessionSecret = e.SESSION_SECRET;
    this.bootstrapToken = e.LATERAL_BOOTSTRAP_TOKEN;
    this.cookieSecure = e.COOKIE_SECURE;
    this.sessionTtlMs = e.SESSION_TTL_HOURS * 3600_000;
    this.oidc =
      e.OIDC_ISSUER_URL && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET
        ? {
            issuerUrl: e.OIDC_ISSUER_URL,
            clientId: e.OIDC_CLIENT_ID,
            clientSecret: e.OIDC_CLIENT_SECRET,
            defaultRole: e.OIDC_DEFAULT_ROLE,
            scopes: e.OIDC_SCOPES,
            groupsClaim: e.OIDC_GROUPS_CLAIM,
            roleGroups:
              e.OIDC_ADMIN_GROUPS || e.OIDC_EDITOR_GROUPS || e.OIDC_READER_GROUPS
                ? [
                    { role: 'admin', groups: groupList(e.OIDC_ADMIN_GROUPS) },
                    { role: 'editor', groups: groupList(e.OIDC_EDITOR_GROUPS) },
                    { role: 'reader', groups: groupList(e.OIDC_READER_GROUPS) },
                  ]
                : undefined,
            trustedEmailLinking: e.OIDC_TRUSTED_EMAIL_LINKING,
          }
        : undefined;
    this.admin = { email: e.LATERAL_ADMIN_EMAIL.toLowerCase(), password: e.LATERAL_ADMIN_PASSWORD };
    this.people = {
      inviteTtlMs: e.INVITE_TTL_HOURS * 3600_000,
      resetTtlMs: e.PASSWORD_RESET_TTL_MINUTES * 60_000,
      tokenMaxDays: e.API_TOKEN_MAX_DAYS,
    };
    this.smtp =
      e.SMTP_URL && e.SMTP_FROM
        ? { url: e.SMTP_URL, from: e.SMTP_FROM, timeoutMs: e.SMTP_TIMEOUT_MS }
        : undefined;
    this.upstream = {
      connectTimeoutMs: e.UPSTREAM_CONNECT_TIMEOUT_MS,
      headersTimeoutMs: e.UPSTREAM_HEADERS_TIMEOUT_MS,
      bodyTimeoutMs: e.UPSTREAM_BODY_TIMEOUT_MS,
      mediaTimeoutMs: e.UPSTREAM_MEDIA_TIMEOUT_MS,
      connections: e.UPSTREAM_POOL_CONNECTIONS,
    };
    this.mediaCollection = {
      intervalMs: e.MEDIA_COLLECTION_INTERVAL_HOURS * 3600_000,
      graceMs: e.MEDIA_COLLECTION_GRACE_HOURS * 3600_000,
    };
    this.limits = {
      mediaUploadBytes: e.MEDIA_MAX_UPLOAD_BYTES,
      importBytes: e.IMPORT_MAX_BYTES,
      importUncompressedBytes: e.IMPORT_MAX_UNCOMPRESSED_BYTES,
      importFiles: e.IMPORT_MAX_FILES,
      importPageBytes: e.IMPORT_MAX_PAGE_BYTES,
      importUnzipTimeoutMs: e.IMPORT_UNZIP_TIMEOUT_MS,
      importConcurrency: e.IMPORT_CONCURRENCY,
      importQueueCapacity: e.IMPORT_QUEUE_CAPACITY,
    };
    this.rateLimits = {
      loginPerMinute: e.RATE_LIMIT_LOGIN_PER_MINUTE,
      apiPerMinute: e.RATE_LIMIT_API_PER_MINUTE,
      webPerMinute: e.RATE_LIMIT_WEB_PER_MINUTE,
      passwordFailuresPer15Min: e.RATE_LIMIT_PASSWORD_FAILURES_PER_15_MIN,
      resetRequestsPerHour: e.RATE_LIMIT_RESET_REQUESTS_PER_HOUR,
    };
    this.trustProxyHops = e.TRUST_PROXY_HOPS;
    const opsMode = e.OPS_KUBERNETES ?? (e.OPS_KUBECONFIG ? 'kubeconfig' : 'off');
    this.ops = {
      access:
        opsMode === 'off'
          ? undefined
          : opsMode === 'in-cluster'
            ? { mode: 'in-cluster' }
            : { mode: 'kubeconfig', path: e.OPS_KUBECONFIG, context: e.OPS_KUBE_CONTEXT },
      namespace: e.OPS_NAMESPACE,
      argoCdNamespace: e.OPS_ARGOCD_NAMESPACE,
      applicationSelector: e.OPS_ARGOCD_SELECTOR,
    };
  }

  /** `__Host-` pins the cookie to this origin and path `/`; browsers only accept it over https. */
  get sessionCookieName(): string {
    return this.cookieSecure ? '__Host-lateral_session' : 'lateral_session';
  }
}

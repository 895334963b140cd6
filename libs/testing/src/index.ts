export {
  importEmbeddedPostgres,
  startPostgresServer,
  type PostgresServer,
} from './postgres-server.js';
export { createTestDatabase, type TestDatabase } from './test-database.js';
export { freePort } from './free-port.js';
export { IdentitySigner } from './signed-requests.js';
export { startS3Server, versitygwBinary, type S3Server } from './s3-server.js';

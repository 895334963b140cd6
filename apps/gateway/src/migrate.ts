import 'reflect-metadata';
import { runMigrateCommand } from '@lateral/database';
import { createDataSource } from './database/data-source.js';

await runMigrateCommand('gateway', (url) => createDataSource(url, 1));

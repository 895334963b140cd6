import 'reflect-metadata';
import { runMigrateCommand } from '@lateral/database';
import { createDataSource } from './database/data-source.js';

await runMigrateCommand('media', (url) => createDataSource(url, 1));

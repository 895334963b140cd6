import 'reflect-metadata';
import { runMigrateCommand } from '@lateral/database';
import { createDataSource } from './database/data-source.js';

await runMigrateCommand('notes', (url) => createDataSource(url, { poolMax: 1 }));

import 'reflect-metadata';
import { migrateAndExit } from '@billing/common';
import { schedulerConfigSchema } from './config';
import { schedulerMigrations } from './migrations';

void migrateAndExit('scheduler', schedulerConfigSchema, schedulerMigrations);

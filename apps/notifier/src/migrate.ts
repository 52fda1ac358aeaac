import 'reflect-metadata';
import { migrateAndExit } from '@billing/common';
import { notifierConfigSchema } from './config';
import { notifierMigrations } from './migrations';

void migrateAndExit('notifier', notifierConfigSchema, notifierMigrations);

import 'reflect-metadata';
import { migrateAndExit } from '@billing/common';
import { invoicingConfigSchema } from './config';
import { invoicingMigrations } from './migrations';

void migrateAndExit('invoicing', invoicingConfigSchema, invoicingMigrations);

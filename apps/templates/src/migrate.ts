import 'reflect-metadata';
import { migrateAndExit } from '@billing/common';
import { templatesConfigSchema } from './config';
import { templatesMigrations } from './migrations';

void migrateAndExit('templates', templatesConfigSchema, templatesMigrations);

import 'reflect-metadata';
import { migrateAndExit } from '@billing/common';
import { suggestionsConfigSchema } from './config';
import { suggestionsMigrations } from './migrations';

void migrateAndExit('suggestions', suggestionsConfigSchema, suggestionsMigrations);

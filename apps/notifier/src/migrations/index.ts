import { Notifier1763700000500 } from './1763700000500-notifier';

export const notifierMigrations = [Notifier1763700000500];

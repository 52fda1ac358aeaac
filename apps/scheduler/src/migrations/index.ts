import { Scheduler1763700000400 } from './1763700000400-scheduler';

export const schedulerMigrations = [Scheduler1763700000400];

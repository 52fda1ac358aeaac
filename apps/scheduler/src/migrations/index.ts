import { Scheduler1763700000400 } from './1763700000400-scheduler';
import { ResultsWithoutTemplateIndex1763700000410 } from './1763700000410-results-without-template-index';
import { ClaimsAreResults1763700000420 } from './1763700000420-claims-are-results';

export const schedulerMigrations = [
  Scheduler1763700000400,
  ResultsWithoutTemplateIndex1763700000410,
  ClaimsAreResults1763700000420,
];

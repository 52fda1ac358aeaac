import { Suggestions1763700000500 } from './1763700000500-suggestions';

export const suggestionsMigrations = [Suggestions1763700000500];

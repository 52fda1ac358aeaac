import { Parties1763700000100 } from './1763700000100-parties';

export const invoicingMigrations = [Parties1763700000100];

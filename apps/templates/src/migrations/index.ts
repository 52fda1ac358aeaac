import { Templates1763700000200 } from './1763700000200-templates';

export const templatesMigrations = [Templates1763700000200];

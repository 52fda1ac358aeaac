import { Templates1763700000200 } from './1763700000200-templates';
import { TemplatesHotUpdates1763700000210 } from './1763700000210-templates-hot-updates';

export const templatesMigrations = [Templates1763700000200, TemplatesHotUpdates1763700000210];

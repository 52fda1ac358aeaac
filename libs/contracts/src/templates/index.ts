import { z } from 'zod';
import { defineEvent, defineRpc } from '../define';
import { CalendarDateSchema, DateSchema, IdSchema } from '../primitives';
import { OccurrenceDocumentSchema } from '../occurrences';
import {
  PreviewQuerySchema,
  TemplateCloneSchema,
  TemplateCreateSchema,
  TemplateListQuerySchema,
  TemplatePageSchema,
  TemplatePatchSchema,
  TemplatePreviewSchema,
  TemplateViewSchema,
} from './template.schemas';

export * from './template.schemas';

const ById = z.object({ id: IdSchema }).strict();

export const TemplatesRpc = {
  create: defineRpc('templates', 'create', 1, TemplateCreateSchema, TemplateViewSchema),
  get: defineRpc('templates', 'get', 1, ById, TemplateViewSchema),
  list: defineRpc('templates', 'list', 1, TemplateListQuerySchema, TemplatePageSchema),
  update: defineRpc(
    'templates',
    'update',
    1,
    z.object({ id: IdSchema, patch: TemplatePatchSchema }).strict(),
    TemplateViewSchema,
  ),
  delete: defineRpc('templates', 'delete', 1, ById, z.object({ id: IdSchema, deleted: z.literal(true) })),
  pause: defineRpc('templates', 'pause', 1, ById, TemplateViewSchema),
  resume: defineRpc('templates', 'resume', 1, ById, TemplateViewSchema),
  skipNext: defineRpc('templates', 'skip_next', 1, ById, TemplateViewSchema),
  cancel: defineRpc('templates', 'cancel', 1, ById, TemplateViewSchema),
  clone: defineRpc(
    'templates',
    'clone',
    1,
    z.object({ id: IdSchema, overrides: TemplateCloneSchema }).strict(),
    TemplateViewSchema,
  ),
  /**
   * The scheduler's question: every occurrence due on or before `as_of` (missed days included) of the
   * tenant's active templates, within their limits, keyset-paged by template id.
   */
  due: defineRpc(
    'templates',
    'due',
    1,
    z
      .object({
        as_of: CalendarDateSchema,
        limit: z.number().int().min(1).max(5000),
        after: IdSchema.optional(),
      })
      .strict(),
    z.object({
      items: z.array(
        z.object({
          template_id: IdSchema,
          occurrences: z.array(
            z.object({
              occurrence_index: z.number().int(),
              occurrence_date: DateSchema,
              /** The template's next occurrence once this one is generated; null when this one completes it. */
              next_occurrence_date: DateSchema.nullable(),
            }),
          ),
          document: OccurrenceDocumentSchema,
        }),
      ),
      next_after: IdSchema.nullable(),
    }),
  ),
  preview: defineRpc(
    'templates',
    'preview',
    1,
    z.object({ id: IdSchema }).extend(PreviewQuerySchema.shape).strict(),
    TemplatePreviewSchema,
  ),
} as const;

/** Lifecycle events carry the template as it is after the change. */
export const TemplateEventSchema = z.object({ template: TemplateViewSchema });
export type TemplateEvent = z.infer<typeof TemplateEventSchema>;

export const TemplateEvents = {
  created: defineEvent('template.created', 1, TemplateEventSchema),
  updated: defineEvent('template.updated', 1, TemplateEventSchema),
  paused: defineEvent('template.paused', 1, TemplateEventSchema),
  resumed: defineEvent('template.resumed', 1, TemplateEventSchema),
  skipped: defineEvent('template.skipped', 1, TemplateEventSchema.extend({ skipped_date: z.string() })),
  cancelled: defineEvent('template.cancelled', 1, TemplateEventSchema),
  completed: defineEvent('template.completed', 1, TemplateEventSchema),
  deleted: defineEvent('template.deleted', 1, TemplateEventSchema),
} as const;

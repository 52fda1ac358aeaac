import { Inject, Injectable } from '@nestjs/common';
import { SuggestionEvents } from '@billing/contracts';
import { type Tx, uuidv7 } from '@billing/common';
import { parseDate } from '@billing/recurrence';
import { CONFIG } from '@billing/common';
import type { SuggestionsConfig } from '../config';
import { displayName } from '../mining/counterparty';
import { mineGroupedRows } from '../mining/mine-rows';
import type { Group } from '../transactions/import.repository';
import { type GroupStream, materiallyChanged, reconcileGroup } from './reconcile';
import { mapSuggestion } from './suggestion.model';
import { SuggestionRepository } from './suggestion.repository';

/**
 * Re-mines groups of one tenant inside the caller's transaction: reads every transaction of the groups,
 * mines them, reconciles the streams with the groups' suggestions and publishes what changed.
 */
@Injectable()
export class MiningService {
  constructor(
    private readonly suggestions: SuggestionRepository,
    @Inject(CONFIG) private readonly config: SuggestionsConfig,
  ) {}

  async mineGroups(tx: Tx, tenantId: string, groups: Group[]): Promise<{ created: number; updated: number }> {
    if (groups.length === 0) return { created: 0, updated: 0 };
    const m = tx.manager;
    await this.suggestions.lockGroups(m, tenantId, groups);
    const latest = await this.suggestions.latestDate(m, tenantId);
    if (!latest) return { created: 0, updated: 0 };
    const rows = await this.suggestions.transactionsOf(m, tenantId, groups);
    const mined = mineGroupedRows(rows, parseDate(latest), {
      minConfidence: this.config.SUGGESTIONS_MIN_CONFIDENCE,
    });
    const existing = await this.suggestions.ofGroups(m, tenantId, groups);
    const byGroup = new Map<string, typeof existing>();
    for (const row of existing) {
      const key = `${row.counterparty_key}|${row.direction}|${row.currency}`;
      byGroup.set(key, [...(byGroup.get(key) ?? []), row]);
    }
    const before = new Map(existing.map((r) => [r.id, r]));
    const writes = [];
    const created = new Set<string>();
    const minedKeys = new Set<string>();
    for (const g of mined) {
      const key = `${g.counterpartyKey}|${g.direction}|${g.currency}`;
      minedKeys.add(key);
      const streams: GroupStream[] = g.streams.map((stream) => {
        const variants = new Map<string, number>();
        for (const i of stream.members)
          variants.set(rows[i].counterparty, (variants.get(rows[i].counterparty) ?? 0) + 1);
        return { stream, counterparty: displayName(variants) };
      });
      const group = {
        tenantId,
        counterpartyKey: g.counterpartyKey,
        direction: g.direction as Group['direction'],
        currency: g.currency,
      };
      const r = reconcileGroup(group, byGroup.get(key) ?? [], streams, () => uuidv7());
      writes.push(...r.writes);
      r.created.forEach((id) => created.add(id));
    }
    const stored = await this.suggestions.upsert(m, writes);
    let updated = 0;
    for (const row of stored) {
      const view = mapSuggestion(row);
      if (created.has(row.id)) tx.publish(SuggestionEvents.created, tenantId, { suggestion: view });
      else if (materiallyChanged(before.get(row.id), view)) {
        updated++;
        tx.publish(SuggestionEvents.updated, tenantId, { suggestion: view });
      }
    }
    return { created: created.size, updated };
  }
}

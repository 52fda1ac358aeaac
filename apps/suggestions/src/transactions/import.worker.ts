import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CONFIG, KickedLoop, UnitOfWork } from '@billing/common';
import type { SuggestionsConfig } from '../config';
import { MiningService } from '../suggestions/mining.service';
import { SuggestionRepository } from '../suggestions/suggestion.repository';
import { type Import, ImportRepository } from './import.repository';

/** Uploads left in `receiving` this long are dropped (their caller gave up mid-upload). */
const ABANDONED_AFTER_MS = 60 * 60 * 1000;

/**
 * The background work of this app, on every replica: import jobs (staged rows → transactions in
 * batches, then the touched groups re-mined page by page, progress on the import record) and the
 * mining queue (groups touched by transactions from the bus). Each step is its own transaction; a job
 * whose process died is taken over after SUGGESTIONS_TAKEOVER_MS and resumes where it stood (moving
 * rows is idempotent: the dedupe key).
 */
@Injectable()
export class ImportWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ImportWorker');
  private readonly loop: KickedLoop;
  private stopped = false;

  constructor(
    private readonly imports: ImportRepository,
    private readonly suggestions: SuggestionRepository,
    private readonly mining: MiningService,
    private readonly uow: UnitOfWork,
    @Inject(CONFIG) private readonly config: SuggestionsConfig,
  ) {
    this.loop = new KickedLoop(
      () => this.pass(),
      config.SUGGESTIONS_POLL_MS,
      (err) => this.logger.error(`worker pass failed: ${err.message}`),
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.loop.stop();
  }

  /** Runs a pass now (or right after the one in progress). */
  kick(): void {
    this.loop.kick();
  }

  private async pass(): Promise<void> {
    while (!this.stopped) {
      const imp = await this.uow.run((tx) =>
        this.imports.claim(tx.manager, this.config.SUGGESTIONS_TAKEOVER_MS),
      );
      if (!imp) break;
      await this.runImport(imp).catch(async (err: Error) => {
        this.logger.error(`import ${imp.id} failed: ${err.message}`);
        await this.uow.run((tx) =>
          this.imports.setStatus(tx.manager, imp.id, 'failed', err.message.slice(0, 1000)),
        );
      });
    }
    while (!this.stopped && (await this.mineQueued()) > 0);
    await this.uow.run((tx) => this.imports.dropAbandoned(tx.manager, ABANDONED_AFTER_MS));
  }

  private async runImport(imp: Import): Promise<void> {
    if (imp.status === 'importing') {
      const batch = this.config.SUGGESTIONS_IMPORT_BATCH;
      for (let after = imp.rowsProcessed; after < imp.rowsTotal && !this.stopped; after += batch) {
        await this.uow.run((tx) => this.imports.moveRows(tx.manager, imp, after, after + batch));
      }
      if (this.stopped) return;
    }
    const groups = await this.uow.run(async (tx) => {
      const all = await this.imports.groupsOf(tx.manager, imp.id);
      await this.imports.startMining(tx.manager, imp.id, all.length);
      return all;
    });
    const page = this.config.SUGGESTIONS_MINING_PAGE;
    for (let i = 0; i < groups.length && !this.stopped; i += page) {
      const slice = groups.slice(i, i + page);
      await this.uow.run(async (tx) => {
        await this.mining.mineGroups(tx, imp.tenantId, slice);
        await this.imports.minedGroups(tx.manager, imp.id, Math.min(groups.length, i + page));
      });
    }
    if (!this.stopped) await this.uow.run((tx) => this.imports.complete(tx.manager, imp.id));
  }

  /** One page of the mining queue, per tenant, in one transaction. Returns the groups mined. */
  private async mineQueued(): Promise<number> {
    return this.uow.run(async (tx) => {
      const queued = await this.suggestions.dequeue(tx.manager, this.config.SUGGESTIONS_MINING_PAGE);
      const byTenant = new Map<string, typeof queued>();
      for (const g of queued) byTenant.set(g.tenantId, [...(byTenant.get(g.tenantId) ?? []), g]);
      for (const [tenantId, groups] of byTenant) await this.mining.mineGroups(tx, tenantId, groups);
      return queued.length;
    });
  }
}

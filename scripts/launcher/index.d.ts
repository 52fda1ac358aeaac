import type { ChildProcess } from 'child_process';
import type { EventEmitter } from 'events';

export type AppName = 'gateway' | 'templates' | 'invoicing' | 'scheduler' | 'notifier' | 'suggestions';

export interface StartSystemOptions {
  rootDir?: string;
  apps?: AppName[];
  ports?: Partial<Record<AppName, number>>;
  env?: Record<string, string>;
  databaseUrl?: string;
  natsUrl?: string;
  busRoot?: string;
  clockMode?: 'system' | 'manual';
  adminToken?: string;
  dataDir?: string;
  logDir?: string;
  stdio?: 'inherit' | 'pipe' | 'file';
  build?: 'auto' | boolean;
  createDevTenant?: boolean;
  healthTimeoutMs?: number;
  logLevel?: string;
  log?: (message: string) => void;
  signal?: AbortSignal;
}

export interface RunningSystem extends EventEmitter {
  gatewayUrl: string;
  apiKey: string | null;
  adminToken: string;
  databaseUrl: string;
  natsUrl: string;
  busRoot: string;
  ports: Record<AppName, number>;
  processes: Partial<Record<AppName, ChildProcess>>;
  logDir: string;
  stop(): Promise<void>;
  kill(app: AppName, signal?: NodeJS.Signals): Promise<void>;
  restart(app: AppName): Promise<void>;
  start(app: AppName): Promise<void>;
  isRunning(app: AppName): boolean;
  logTail(app: AppName, lines?: number): string;
}

export function startSystem(options?: StartSystemOptions): Promise<RunningSystem>;
export function findFreePort(
  first: number,
  options?: { tries?: number; exclude?: number[] },
): Promise<number>;

import { createHash, randomBytes } from 'crypto';

/** UUID version 7: time-ordered, so ids sort by creation and serve as pagination cursors. */
const POOL_IDS = 256;
let pool = Buffer.alloc(0);
let poolOffset = 0;

/** 16 fresh random bytes, taken from a pool refilled 4 KiB at a time (ids are made in bulk). */
function random16(): Buffer {
  if (poolOffset + 16 > pool.length) {
    pool = randomBytes(16 * POOL_IDS);
    poolOffset = 0;
  }
  const out = Buffer.from(pool.subarray(poolOffset, poolOffset + 16));
  poolOffset += 16;
  return out;
}

export function uuidv7(now: number = Date.now()): string {
  const bytes = random16();
  const ms = BigInt(now);
  for (let i = 0; i < 6; i++) bytes[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * A UUID (version 8, RFC 9562) derived from a name: the same name always gives the same id. Used where
 * an id must be a key, e.g. the `occurrence.due` event of `template_id:occurrence_date`, so that two
 * schedulers publishing the same occurrence publish the same message (Nats-Msg-Id) too.
 */
export function uuidFromName(name: string): string {
  const bytes = createHash('sha256').update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

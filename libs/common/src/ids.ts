import { createHash, randomBytes } from 'crypto';

/** UUID version 7: time-ordered, so ids sort by creation and serve as pagination cursors. */
const POOL_IDS = 256;
/** Random bytes per id: bytes 6 to 15 of the UUID (the version and variant bits overwrite 6 of them). */
const RANDOM_BYTES = 10;
let pool = Buffer.alloc(0);
let poolOffset = 0;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Ids are made in bulk (several per generated document), so this builds the text directly: random
 * bytes from a pool refilled 2.5 KiB at a time, the 48-bit millisecond timestamp as 12 hex digits —
 * no Buffer and no BigInt per id.
 */
export function uuidv7(now: number = Date.now()): string {
  if (poolOffset + RANDOM_BYTES > pool.length) {
    pool = randomBytes(RANDOM_BYTES * POOL_IDS);
    poolOffset = 0;
  }
  const r = pool;
  const o = poolOffset;
  poolOffset += RANDOM_BYTES;
  const time = now.toString(16).padStart(12, '0');
  return (
    `${time.slice(0, 8)}-${time.slice(8, 12)}-` +
    `${HEX[(r[o] & 0x0f) | 0x70]}${HEX[r[o + 1]]}-${HEX[(r[o + 2] & 0x3f) | 0x80]}${HEX[r[o + 3]]}-` +
    `${HEX[r[o + 4]]}${HEX[r[o + 5]]}${HEX[r[o + 6]]}${HEX[r[o + 7]]}${HEX[r[o + 8]]}${HEX[r[o + 9]]}`
  );
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

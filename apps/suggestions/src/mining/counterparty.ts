/**
 * Counterparty names as banks and ledgers write them, reduced to one key per merchant:
 * `NETFLIX.COM*4821`, `Netflix Inc` and `netflix, inc.` all become `netflix`;
 * `BLUEBOTTLE.COM` and `Blue Bottle LLC` become `bluebottle` (the key has no spaces).
 *
 * Steps, in order: Unicode folding and lower case; card-processor prefixes (`SQ *`, `PAYPAL *`) dropped
 * and what follows a `*` (a reference) cut off; web domains reduced to their name (`netflix.com` →
 * `netflix`, `www.` dropped); `&` and apostrophes joined (`AT&T` → `att`); every other punctuation a
 * space; tokens holding a reference or store number dropped (`#0421`, `4821`, `ref123456`); bank
 * boilerplate (`pos`, `ach`, `sepa`, `debit` …) dropped; legal suffixes at the end dropped
 * (`inc`, `llc`, `ltd`, `gmbh` …), as is a leading `the`. A name that would become empty keeps its
 * folded letters and digits instead.
 */

/** Payment processors that put their own code before the merchant: `SQ *BLUE BOTTLE`. */
const PROCESSOR_PREFIXES = new Set(['sq', 'tst', 'paypal', 'pp', 'sp', 'gglpay', 'google', 'apl', 'ic']);

const LEGAL_SUFFIXES = new Set([
  'inc',
  'incorporated',
  'llc',
  'llp',
  'lp',
  'ltd',
  'limited',
  'gmbh',
  'corp',
  'corporation',
  'co',
  'company',
  'plc',
  'sa',
  'sas',
  'sarl',
  'srl',
  'spa',
  'bv',
  'nv',
  'ag',
  'kg',
  'oy',
  'ab',
  'as',
  'pty',
  'pte',
  'pc',
  'pllc',
]);

/** Words banks add around the merchant's name. */
const BOILERPLATE = new Set([
  'pos',
  'ach',
  'sepa',
  'dd',
  'debit',
  'purchase',
  'recurring',
  'autopay',
  'pmt',
  'payment',
  'card',
  'visa',
  'mastercard',
  'contactless',
]);

const DOMAIN =
  /\b(?:www\.)?([a-z0-9][a-z0-9-]*)\.(?:com|net|org|io|co|app|tv|me|biz|info|us|uk|ca|au|de|fr|eu)(?:\.[a-z]{2})?\b/g;

export function normaliseCounterparty(raw: string): string {
  let s = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim();

  const star = s.indexOf('*');
  if (star >= 0) {
    const before = s.slice(0, star).trim();
    const after = s.slice(star + 1).trim();
    s = PROCESSOR_PREFIXES.has(before) && after ? after.split('*')[0] : before || after;
  }

  s = s.replace(DOMAIN, ' $1 ');
  s = s.replace(/(\w)['’](\w)/g, '$1$2').replace(/(\w)&(\w)/g, '$1$2');
  s = s.replace(/[^a-z0-9]+/g, ' ');

  const tokens = s.split(' ').filter((tok) => tok && !isReference(tok) && !BOILERPLATE.has(tok));
  while (tokens.length > 1 && LEGAL_SUFFIXES.has(tokens[tokens.length - 1])) tokens.pop();
  if (tokens.length > 1 && tokens[0] === 'the') tokens.shift();

  // Without spaces: `BLUEBOTTLE.COM` and `Blue Bottle Inc` are one merchant.
  const key = tokens.join('');
  if (key) return key;
  const fallback = raw.toLowerCase().replace(/[^a-z0-9]+/g, '');
  return fallback || raw.trim().toLowerCase();
}

/** A store, terminal or reference number rather than part of a name: `4821`, `#12`, `ref123456`, `x7k29q1`. */
function isReference(token: string): boolean {
  let digits = 0;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  if (digits === 0) return false;
  if (digits === token.length) return true;
  return digits >= 3;
}

/**
 * The name to show (and to create a customer or vendor under): among the ways the name was written,
 * the one that looks most like a name (fewest digits and symbols), then the most frequent, then the
 * latest. `variants` maps each raw spelling to how often it was seen.
 */
export function displayName(variants: ReadonlyMap<string, number>): string {
  let best = '';
  let bestScore = -Infinity;
  for (const [name, count] of variants) {
    const noise = (name.match(/[^A-Za-z\s.,&'-]/g) ?? []).length;
    const shouting = name === name.toUpperCase() && /[A-Z]{3}/.test(name) ? 1 : 0;
    const score = -noise * 10 - shouting * 5 + Math.log(1 + count);
    if (score > bestScore) {
      bestScore = score;
      best = name;
    }
  }
  return best.trim();
}

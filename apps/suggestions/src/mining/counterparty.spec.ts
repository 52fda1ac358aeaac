import { displayName, normaliseCounterparty } from './counterparty';

describe('normaliseCounterparty', () => {
  it.each([
    ['NETFLIX.COM*4821', 'netflix'],
    ['Netflix Inc', 'netflix'],
    ['netflix, inc.', 'netflix'],
    ['PAYPAL *NETFLIX', 'netflix'],
    ['SQ *BLUE BOTTLE COFFEE', 'bluebottlecoffee'],
    ['BLUEBOTTLECOFFEE.COM', 'bluebottlecoffee'],
    ['POS ACME CLOUD #0421', 'acmecloud'],
    ['Acme Cloud LLC', 'acmecloud'],
    ['ACME CLOUD GMBH', 'acmecloud'],
    ['Acme Cloud Ltd.', 'acmecloud'],
    ['The Gym Co', 'gym'],
    ["Ben & Jerry's", 'benjerrys'],
    ['AT&T', 'att'],
    ['Café Crème SARL', 'cafecreme'],
    ['www.dropbox.com', 'dropbox'],
    ['ACH DEBIT OFFICE LEASE REF 88231', 'officeleaseref'],
  ])('%s → %s', (raw, key) => {
    expect(normaliseCounterparty(raw)).toBe(key);
  });

  it('keeps something for names that are only noise', () => {
    expect(normaliseCounterparty('Inc')).toBe('inc');
    expect(normaliseCounterparty('12345')).toBe('12345');
  });
});

describe('displayName', () => {
  it('prefers the spelling that looks like a name over the frequent card descriptor', () => {
    expect(
      displayName(
        new Map([
          ['NETFLIX.COM*4821', 9],
          ['Netflix Inc', 2],
        ]),
      ),
    ).toBe('Netflix Inc');
    expect(displayName(new Map([['ACME CLOUD LLC', 3]]))).toBe('ACME CLOUD LLC');
  });
});

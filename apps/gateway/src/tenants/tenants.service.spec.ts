import { ProblemError } from '@billing/common';
import { canonicalTimeZone } from './tenants.service';

describe('canonicalTimeZone', () => {
  it('accepts IANA zones in their canonical spelling', () => {
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    expect(canonicalTimeZone('america/new_york')).toBe('America/New_York');
    expect(canonicalTimeZone('Australia/Sydney')).toBe('Australia/Sydney');
  });

  it('refuses what Intl does not know, as a field error on timezone', () => {
    let error: unknown;
    try {
      canonicalTimeZone('Mars/Olympus_Mons');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).problem).toMatchObject({
      status: 422,
      errors: [{ field: 'timezone', code: 'invalid_timezone' }],
    });
  });
});

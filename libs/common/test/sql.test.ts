import { Client } from 'pg';
import { pgArray, uuidv7 } from '@billing/common';
import { createTestDatabase, type TestDatabase } from '@billing/common/testing';

describe('pgArray against PostgreSQL', () => {
  let db: TestDatabase;
  let pg: Client;

  beforeAll(async () => {
    db = await createTestDatabase('sql');
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });

  afterAll(async () => {
    await pg?.end();
    await db?.drop();
  });

  it('reads back every text exactly, whatever it holds', async () => {
    const texts = [
      'plain',
      '',
      'say "hi"',
      'back\\slash and \\"both\\"',
      '{braces}, commas',
      'NULL',
      'null',
      '  padded  ',
      'line\nbreak\ttab',
      'ünïcødé — €',
      "it's",
      null,
    ];
    const { rows } = await pg.query('SELECT unnest($1::text[]) AS t', [pgArray(texts)]);
    expect(rows.map((r) => r.t)).toEqual(texts);
  });

  it('casts to the element type of the statement', async () => {
    const ids = [uuidv7(), uuidv7()];
    const { rows } = await pg.query(
      `SELECT u::text AS id, b::text AS big, f, d::text AS d, n::text AS n
       FROM unnest($1::uuid[], $2::bigint[], $3::boolean[], $4::date[], $5::numeric[]) AS x(u, b, f, d, n)`,
      [
        pgArray(ids),
        pgArray([9007199254740993n, -1n]),
        pgArray([true, false]),
        pgArray(['2027-02-28', null]),
        pgArray(['8.25', '0.001']),
      ],
    );
    expect(rows).toEqual([
      { id: ids[0], big: '9007199254740993', f: true, d: '2027-02-28', n: '8.25' },
      { id: ids[1], big: '-1', f: false, d: null, n: '0.001' },
    ]);
  });
});

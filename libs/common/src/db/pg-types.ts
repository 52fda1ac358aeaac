import { types } from 'pg';
import { PG_DATE_OID } from './sql';

/** A `date` is a calendar date, never a JS Date at local midnight. */
types.setTypeParser(PG_DATE_OID, (value: string) => value);

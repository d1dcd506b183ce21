import { describe, expect, it } from 'vitest';
import { parseSoql } from '../../../sandbox/salesforce-standin/soql.js';
import {
  changedCasesQuery,
  soqlDateTime,
  soqlId,
  soqlString,
} from '../../../src/integrations/salesforce/soql.js';
import { PermanentError } from '../../../src/jobs/errors.js';

const INJECTION = "' OR Name LIKE '%";

describe('soqlString', () => {
  it('escapes quotes and backslashes so the value stays one literal', () => {
    expect(soqlString(INJECTION)).toBe("'\\' OR Name LIKE \\'%'");
    expect(soqlString('a\\b')).toBe("'a\\\\b'");
    expect(soqlString('line\nbreak "q"')).toBe('\'line\\nbreak \\"q\\"\'');
  });

  it('round-trips through a SOQL reader as exactly the original text, never as an OR clause', () => {
    for (const text of [INJECTION, "\\' OR Id != null --", 'tab\there', "quote ' and \\ backslash"]) {
      const query = parseSoql(`SELECT Id FROM Case WHERE Subject = ${soqlString(text)}`);
      expect(query.where).toEqual([
        { kind: 'compare', field: 'Subject', op: '=', value: { type: 'string', value: text } },
      ]);
    }
  });

  it('the stand-in reader refuses an unescaped injection instead of widening the filter', () => {
    expect(() => parseSoql(`SELECT Id FROM Case WHERE Subject = '${INJECTION}'`)).toThrow(/unexpected token/);
  });
});

describe('soqlId', () => {
  it('accepts 15- and 18-character ids', () => {
    expect(soqlId('001Hs00000AbCdE')).toBe("'001Hs00000AbCdE'");
    expect(soqlId('001Hs00000AbCdEIAZ')).toBe("'001Hs00000AbCdEIAZ'");
  });

  it('rejects an injection attempt (and any non-id) with a PermanentError', () => {
    for (const bad of [INJECTION, '001Hs00000AbCd', "001Hs00000AbCdE' OR '1'='1", '001Hs00000AbCdE\n', '']) {
      expect(() => soqlId(bad, 'Account id')).toThrow(PermanentError);
    }
  });
});

describe('changedCasesQuery', () => {
  it('binds every value and formats the window as whole-second UTC dateTimes', () => {
    const q = changedCasesQuery(
      'Opsbot_Incident_Id__c',
      ['001Hs00000AbCdEIAZ', '001Hs00000XyZabIAB'],
      Date.parse('2024-05-01T12:00:00.999Z'),
      Date.parse('2024-05-01T12:05:00.000Z'),
    );
    expect(q).toBe(
      "SELECT Id, CaseNumber, Status, Priority, Owner.Name, LastModifiedDate, Opsbot_Incident_Id__c, AccountId, Origin, Subject, CreatedDate FROM Case WHERE AccountId IN ('001Hs00000AbCdEIAZ', '001Hs00000XyZabIAB') AND LastModifiedDate >= 2024-05-01T12:00:00Z AND LastModifiedDate < 2024-05-01T12:05:00Z ORDER BY LastModifiedDate",
    );
    expect(parseSoql(q).where).toHaveLength(3);
  });

  it('refuses account ids that are not ids, and field names that are not names', () => {
    expect(() => changedCasesQuery('Opsbot_Incident_Id__c', [INJECTION], 0, 1000)).toThrow(PermanentError);
    expect(() => changedCasesQuery('X__c FROM User --', ['001Hs00000AbCdE'], 0, 1000)).toThrow(
      PermanentError,
    );
  });

  it('soqlDateTime never carries text', () => {
    expect(soqlDateTime(0)).toBe('1970-01-01T00:00:00Z');
    expect(() => soqlDateTime(Number.NaN)).toThrow(PermanentError);
  });
});

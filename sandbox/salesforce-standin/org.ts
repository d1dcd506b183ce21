// The stand-in org's data and the REST operations on it, answering with Salesforce's status
// codes and error bodies. Times come from the injected clock, kept to the second as Salesforce does.
import { salesforceId, sameId } from './ids.js';
import { type Condition, matches, parseSoql, SoqlError } from './soql.js';

export type FieldValue = string | number | boolean | null;

export interface StandInCase {
  Id: string;
  CaseNumber: string;
  AccountId: string;
  ContactId: string | null;
  Subject: string | null;
  Description: string | null;
  Priority: string | null;
  Status: string | null;
  Origin: string | null;
  OwnerId: string;
  OwnerName: string;
  /** Epoch ms, whole seconds. */
  CreatedDate: number;
  LastModifiedDate: number;
  /** Custom fields (…__c), including the external-id field. */
  custom: Record<string, FieldValue>;
}

export interface StandInComment {
  Id: string;
  ParentId: string;
  CommentBody: string;
  CreatedDate: number;
}

export interface HumanChange {
  Status?: string;
  Priority?: string;
  OwnerName?: string;
}

export interface ApiResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const INTEGRATION_USER = 'Opsbot Integration';
const FIRST_CASE_NUMBER = 1001;
const SUBJECT_MAX = 255;

type StandardField = Exclude<keyof StandInCase, 'custom' | 'OwnerName'>;
const WRITABLE = new Set([
  'Subject',
  'Description',
  'Priority',
  'Status',
  'Origin',
  'AccountId',
  'ContactId',
]);
const READABLE: readonly string[] = [
  'Id',
  'CaseNumber',
  'AccountId',
  'ContactId',
  'Subject',
  'Description',
  'Priority',
  'Status',
  'Origin',
  'OwnerId',
  'Owner.Name',
  'CreatedDate',
  'LastModifiedDate',
];
const DATETIME_FIELDS = new Set(['CreatedDate', 'LastModifiedDate']);

export function apiError(
  status: number,
  errorCode: string,
  message: string,
  fields: string[] = [],
): ApiResult {
  return { status, body: [{ message, errorCode, fields }] };
}

const notFound = () => apiError(404, 'NOT_FOUND', 'The requested resource does not exist');

export class StandInOrg {
  readonly #cases: StandInCase[] = [];
  readonly #comments: StandInComment[] = [];
  readonly #accounts: Set<string>;
  readonly #owners = new Map<string, string>();
  #caseCounter = 0;
  #commentCounter = 0;

  constructor(
    accounts: string[],
    readonly externalIdField: string,
    private readonly now: () => number,
    private readonly apiVersion: string,
  ) {
    this.#accounts = new Set(accounts.map((id) => id.slice(0, 15)));
  }

  cases(): StandInCase[] {
    return this.#cases.map((c) => ({ ...c, custom: { ...c.custom } }));
  }

  comments(): StandInComment[] {
    return this.#comments.map((c) => ({ ...c }));
  }

  /** A person edits the Case in Salesforce: LastModifiedDate moves, as it would. */
  humanUpdate(caseId: string, change: HumanChange): StandInCase {
    const found = this.#find(caseId);
    if (!found) throw new Error(`humanUpdate: no Case ${caseId}`);
    if (change.Status !== undefined) found.Status = change.Status;
    if (change.Priority !== undefined) found.Priority = change.Priority;
    if (change.OwnerName !== undefined) {
      found.OwnerName = change.OwnerName;
      found.OwnerId = this.#ownerId(change.OwnerName);
    }
    found.LastModifiedDate = this.#stamp();
    return { ...found, custom: { ...found.custom } };
  }

  /** A customer opens a Case themselves (web, email or phone): no external id, their Origin. */
  openByCustomer(input: { accountId: string; subject: string; origin: string }): StandInCase {
    if (!this.#accounts.has(input.accountId.slice(0, 15)))
      throw new Error(`openByCustomer: no account ${input.accountId}`);
    const stamp = this.#stamp();
    this.#caseCounter += 1;
    const created: StandInCase = {
      Id: salesforceId('500', this.#caseCounter),
      CaseNumber: String(FIRST_CASE_NUMBER + this.#caseCounter - 1).padStart(8, '0'),
      AccountId: input.accountId,
      ContactId: null,
      Subject: input.subject,
      Description: null,
      Priority: 'High',
      Status: 'New',
      Origin: input.origin,
      OwnerId: this.#ownerId('Support Queue'),
      OwnerName: 'Support Queue',
      CreatedDate: stamp,
      LastModifiedDate: stamp,
      custom: {},
    };
    this.#cases.push(created);
    return { ...created, custom: {} };
  }

  upsertByExternalId(field: string, value: string, body: Record<string, unknown>): ApiResult {
    if (field.toLowerCase() !== this.externalIdField.toLowerCase()) {
      return apiError(
        404,
        'NOT_FOUND',
        `Provided external ID field does not exist or is not accessible: ${field}`,
      );
    }
    const invalid = this.#checkWrite(body);
    if (invalid) return invalid;
    // Text external ids match case-insensitively unless the field is marked case-sensitive.
    const existing = this.#byExternalId(value);
    if (existing) {
      const refused = this.#apply(existing, body);
      return refused ?? { status: 204 };
    }
    const accountId = body.AccountId;
    if (typeof accountId !== 'string' || !this.#accounts.has(accountId.slice(0, 15))) {
      return apiError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['AccountId']);
    }
    const stamp = this.#stamp();
    this.#caseCounter += 1;
    const created: StandInCase = {
      Id: salesforceId('500', this.#caseCounter),
      CaseNumber: String(FIRST_CASE_NUMBER + this.#caseCounter - 1).padStart(8, '0'),
      AccountId: accountId,
      ContactId: null,
      Subject: null,
      Description: null,
      Priority: 'Medium',
      Status: 'New',
      Origin: null,
      OwnerId: this.#ownerId(INTEGRATION_USER),
      OwnerName: INTEGRATION_USER,
      CreatedDate: stamp,
      LastModifiedDate: stamp,
      custom: { [this.externalIdField]: value },
    };
    const refused = this.#apply(created, body);
    if (refused) return refused;
    this.#cases.push(created);
    return {
      status: 201,
      headers: { location: `/services/data/v${this.apiVersion}/sobjects/Case/${created.Id}` },
      body: { id: created.Id, success: true, errors: [], created: true },
    };
  }

  updateCase(caseId: string, body: Record<string, unknown>): ApiResult {
    const found = this.#find(caseId);
    if (!found) return notFound();
    const refused = this.#checkWrite(body) ?? this.#apply(found, body);
    return refused ?? { status: 204 };
  }

  readCase(key: { id: string } | { field: string; value: string }, fieldsParam: string | null): ApiResult {
    let found: StandInCase | undefined;
    if ('id' in key) found = this.#find(key.id);
    else if (key.field.toLowerCase() !== this.externalIdField.toLowerCase()) {
      return apiError(
        404,
        'NOT_FOUND',
        `Provided external ID field does not exist or is not accessible: ${key.field}`,
      );
    } else found = this.#byExternalId(key.value);
    if (!found) return notFound();
    const wanted = fieldsParam
      ? fieldsParam.split(',').map((f) => f.trim())
      : [...READABLE, ...this.#customFields()];
    try {
      // Id always comes back, as in Salesforce.
      return {
        status: 200,
        body: this.#project(found, ['Id', ...wanted.filter((f) => f.toLowerCase() !== 'id')]),
      };
    } catch (error) {
      if (error instanceof SoqlError) return apiError(400, error.errorCode, error.message);
      throw error;
    }
  }

  addComment(body: Record<string, unknown>): ApiResult {
    const unknown = Object.keys(body).find((k) => !['ParentId', 'CommentBody', 'IsPublished'].includes(k));
    if (unknown)
      return apiError(400, 'INVALID_FIELD', `No such column '${unknown}' on sobject of type CaseComment`, [
        unknown,
      ]);
    if (typeof body.ParentId !== 'string' || body.ParentId === '') {
      return apiError(400, 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [ParentId]', ['ParentId']);
    }
    const parent = this.#find(body.ParentId);
    if (!parent)
      return apiError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['ParentId']);
    if (typeof body.CommentBody === 'string' && body.CommentBody.length > 4000) {
      return apiError(400, 'STRING_TOO_LONG', 'Body: data value too large', ['CommentBody']);
    }
    this.#commentCounter += 1;
    const comment: StandInComment = {
      Id: salesforceId('00a', this.#commentCounter),
      ParentId: parent.Id,
      CommentBody: typeof body.CommentBody === 'string' ? body.CommentBody : '',
      CreatedDate: this.#stamp(),
    };
    this.#comments.push(comment);
    return { status: 201, body: { id: comment.Id, success: true, errors: [] } };
  }

  query(q: string): ApiResult {
    try {
      const query = parseSoql(q);
      if (query.object.toLowerCase() !== 'case') {
        throw new SoqlError('INVALID_TYPE', `sObject type '${query.object}' is not supported.`);
      }
      const fields = query.fields.map((f) => this.#canonical(f));
      const where = query.where.map((c) => ({ ...c, field: this.#canonical(c.field) }));
      let rows = this.#cases.filter((c) => where.every((cond) => this.#test(c, cond)));
      if (query.orderBy) {
        const field = this.#canonical(query.orderBy.field);
        const sign = query.orderBy.direction === 'DESC' ? -1 : 1;
        rows = [...rows].sort((a, b) => sign * compare(this.#value(a, field), this.#value(b, field)));
      }
      if (query.limit !== undefined) rows = rows.slice(0, query.limit);
      const records = rows.map((c) => this.#project(c, fields));
      return { status: 200, body: { totalSize: records.length, done: true, records } };
    } catch (error) {
      if (error instanceof SoqlError) return apiError(400, error.errorCode, error.message);
      throw error;
    }
  }

  #test(c: StandInCase, cond: Condition): boolean {
    return matches(cond.field, this.#value(c, cond.field), cond);
  }

  #checkWrite(body: Record<string, unknown>): ApiResult | undefined {
    for (const [key, value] of Object.entries(body)) {
      if (key === 'Id' || key === 'CaseNumber' || DATETIME_FIELDS.has(key)) {
        return apiError(
          400,
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          `Unable to create/update fields: ${key}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          [key],
        );
      }
      if (!WRITABLE.has(key) && !key.endsWith('__c')) {
        return apiError(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type Case`, [key]);
      }
      if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
        return apiError(
          400,
          'JSON_PARSER_ERROR',
          `Cannot deserialize instance of ${key} from a nested value`,
          [key],
        );
      }
    }
    if (typeof body.Subject === 'string' && body.Subject.length > SUBJECT_MAX) {
      return apiError(400, 'STRING_TOO_LONG', 'Subject: data value too large', ['Subject']);
    }
    return undefined;
  }

  /** Applies checked fields; references are validated first so a refused write changes nothing. */
  #apply(target: StandInCase, body: Record<string, unknown>): ApiResult | undefined {
    if ('AccountId' in body) {
      const id = body.AccountId;
      if (typeof id !== 'string' || !this.#accounts.has(id.slice(0, 15))) {
        return apiError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['AccountId']);
      }
    }
    if ('ContactId' in body && body.ContactId !== null) {
      if (
        typeof body.ContactId !== 'string' ||
        !/^003[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/.test(body.ContactId)
      ) {
        return apiError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['ContactId']);
      }
    }
    for (const [key, value] of Object.entries(body)) {
      if (key.endsWith('__c')) target.custom[key] = value as FieldValue;
      else
        (target as unknown as Record<string, unknown>)[key as StandardField] =
          value === null ? null : String(value);
    }
    target.LastModifiedDate = this.#stamp();
    return undefined;
  }

  #find(id: string): StandInCase | undefined {
    if (!/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(id)) return undefined;
    return this.#cases.find((c) => sameId(c.Id, id));
  }

  #byExternalId(value: string): StandInCase | undefined {
    const wanted = value.toLowerCase();
    return this.#cases.find((c) => String(c.custom[this.externalIdField] ?? '').toLowerCase() === wanted);
  }

  #customFields(): string[] {
    const names = new Set([this.externalIdField]);
    for (const c of this.#cases) for (const key of Object.keys(c.custom)) names.add(key);
    return [...names];
  }

  /** SOQL field names are case-insensitive; answers use the API name's own spelling. */
  #canonical(field: string): string {
    const known = [...READABLE, ...this.#customFields()].find((f) => f.toLowerCase() === field.toLowerCase());
    if (!known) {
      throw new SoqlError(
        'INVALID_FIELD',
        `No such column '${field}' on entity 'Case'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`,
      );
    }
    return known;
  }

  #value(c: StandInCase, field: string): string | number | null {
    if (field === 'Owner.Name') return c.OwnerName;
    if (field.endsWith('__c')) {
      const v = c.custom[field];
      return v === undefined || v === null ? null : typeof v === 'number' ? v : String(v);
    }
    return c[field as StandardField] ?? null;
  }

  #project(c: StandInCase, fields: string[]): Record<string, unknown> {
    const record: Record<string, unknown> = {
      attributes: { type: 'Case', url: `/services/data/v${this.apiVersion}/sobjects/Case/${c.Id}` },
    };
    for (const field of fields.map((f) => this.#canonical(f))) {
      if (field === 'Owner.Name') {
        record.Owner = {
          attributes: { type: 'Name', url: `/services/data/v${this.apiVersion}/sobjects/User/${c.OwnerId}` },
          Name: c.OwnerName,
        };
      } else if (DATETIME_FIELDS.has(field)) {
        record[field] = formatDateTime(c[field as 'CreatedDate' | 'LastModifiedDate']);
      } else {
        record[field] = field.endsWith('__c') ? (c.custom[field] ?? null) : c[field as StandardField];
      }
    }
    return record;
  }

  #ownerId(name: string): string {
    let id = this.#owners.get(name);
    if (!id) {
      id = salesforceId('005', this.#owners.size + 1);
      this.#owners.set(name, id);
    }
    return id;
  }

  #stamp(): number {
    return Math.floor(this.now() / 1000) * 1000;
  }
}

/** Salesforce's REST date-time format: 2024-05-01T12:00:00.000+0000. */
export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

function compare(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

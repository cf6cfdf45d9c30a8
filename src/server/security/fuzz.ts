import type { Queryable } from '../db/database.js';

/**
 * Request bodies made from a route's own JSON Schema (the OpenAPI document), for the fuzzing of every JSON
 * route (issue 14): every string field gets the text under test; the rest of the body is as valid as the
 * schema allows, so the text reaches the services and the audit log rather than stopping at a missing field.
 */
export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  default?: unknown;
  additionalProperties?: boolean | JsonSchema;
};

export interface SampleOptions {
  /** The text for a free string field (no pattern, no format), given its maximum length. */
  text: (maxLength: number | undefined) => string;
  /** Whether fields with a pattern or format get the text too (hostile run) or a valid value (deep run). */
  everyString: boolean;
  ids: Record<string, string>;
  components?: Record<string, JsonSchema>;
}

const VALID_BY_FORMAT: Record<string, string> = {
  email: 'fuzz@example.com',
  date: '2027-03-15',
  'date-time': '2027-03-15T09:00:00.000Z',
  uuid: '00000000-0000-4000-8000-000000000001',
  uri: 'https://example.com/x',
};

/** Valid values for the patterned fields the contract uses most (by field name). */
const VALID_BY_NAME: Record<string, string> = {
  familyName: 'KIM',
  givenName: 'MINJUN',
  nameHangul: '김민준',
  nationality: 'KR',
  country: 'KR',
  passportNumber: 'M12345678',
  phone: '+1-404-555-0100',
  state: 'GA',
  timeZone: 'America/New_York',
  portOfEntry: 'ATL',
  i94Number: '12345678901',
  birthDate: '1985-04-02',
  employedSince: '2015-03-01',
  startDate: '2027-04-01',
  endDate: '2027-06-30',
  asOf: '2027-01-15',
};

export function sampleFromSchema(schema: JsonSchema, options: SampleOptions, name = '', depth = 0): unknown {
  if (depth > 8) return null;
  if (schema.$ref) {
    const key = schema.$ref.split('/').pop()!;
    const target = options.components?.[key];
    return target ? sampleFromSchema(target, options, name, depth + 1) : null;
  }
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) {
    const nonNull = alternatives.find((a) => a.type !== 'null') ?? alternatives[0]!;
    return sampleFromSchema(nonNull, options, name, depth + 1);
  }
  if (schema.allOf?.length)
    return Object.assign(
      {},
      ...schema.allOf.map((s) => sampleFromSchema(s, options, name, depth + 1) as object),
    ) as unknown;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object':
    case undefined: {
      if (!schema.properties) return type === 'object' ? {} : options.text(undefined);
      return Object.fromEntries(
        Object.entries(schema.properties).map(([key, child]) => [
          key,
          sampleFromSchema(child, options, key, depth + 1),
        ]),
      );
    }
    case 'array': {
      const n = Math.max(1, schema.minItems ?? 1);
      return Array.from({ length: n }, () => sampleFromSchema(schema.items ?? {}, options, name, depth + 1));
    }
    case 'string': {
      if (schema.format === 'uuid') return options.ids[name] ?? VALID_BY_FORMAT.uuid;
      const constrained = schema.pattern !== undefined || schema.format !== undefined;
      if (constrained && !options.everyString)
        return VALID_BY_NAME[name] ?? VALID_BY_FORMAT[schema.format ?? ''] ?? options.text(schema.maxLength);
      return options.text(schema.maxLength);
    }
    case 'integer':
    case 'number':
      return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return null;
  }
}

/** Real ids of the demo data for a path's parameters, by the resource the path names. */
export async function idsForPaths(db: Queryable): Promise<Record<string, string>> {
  const first = async (sql: string) => (await db.query<{ id: string }>(sql))[0]?.id ?? '';
  return {
    organizations: await first(
      `SELECT id::text FROM organizations WHERE kind = 'investor' ORDER BY name LIMIT 1`,
    ),
    users: await first(`SELECT id::text FROM users WHERE role = 'staff' ORDER BY email LIMIT 1`),
    tokens: await first('SELECT id::text FROM api_tokens LIMIT 1'),
    'partner-links': await first('SELECT id::text FROM partner_links LIMIT 1'),
    sites: await first('SELECT id::text FROM sites ORDER BY name LIMIT 1'),
    projects: await first('SELECT id::text FROM projects ORDER BY name LIMIT 1'),
    workers: await first('SELECT id::text FROM workers ORDER BY family_name LIMIT 1'),
    cases: await first('SELECT id::text FROM cases ORDER BY opened_at LIMIT 1'),
    batches: await first('SELECT id::text FROM batches LIMIT 1'),
    documents: await first('SELECT id::text FROM case_documents LIMIT 1'),
    entries: await first('SELECT id::text FROM entries LIMIT 1'),
    cards: await first('SELECT id::text FROM status_cards LIMIT 1'),
    imports: await first('SELECT id::text FROM imports LIMIT 1'),
    assessments: await first('SELECT id::text FROM assessments LIMIT 1'),
    notifications: await first('SELECT id::text FROM notifications LIMIT 1'),
    reservations: await first('SELECT id::text FROM quota_reservations LIMIT 1'),
  };
}

/** A concrete URL for an OpenAPI path: ids of the demo data, the E-4 program, this fiscal year. */
export function concretePath(path: string, ids: Record<string, string>, fiscalYear: number): string {
  const segments = path.split('/');
  return segments
    .map((segment, i) => {
      const m = /^\{(\w+)\}$/.exec(segment);
      if (!m) return segment;
      if (m[1] === 'program') return 'E4';
      if (m[1] === 'fiscalYear') return String(fiscalYear);
      if (m[1] === 'name') return 'fuzz-mapping';
      return ids[segments[i - 1] ?? ''] || '00000000-0000-4000-8000-000000000001';
    })
    .join('/');
}

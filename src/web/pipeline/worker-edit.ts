import type { UpdateWorker, Worker } from '../../contract/pipeline.js';

/** Fields the edit form shows with the worker's value; an emptied one is sent as '' so the server names it. */
const requiredFields = [
  'familyName',
  'givenName',
  'nameHangul',
  'birthDate',
  'sex',
  'nationality',
  'passportExpiry',
  'education',
  'role',
  'employedSince',
] as const satisfies readonly (keyof Worker & keyof UpdateWorker)[];

/** Optional contact fields: emptied means cleared (`null`). */
const optionalFields = ['phone', 'email', 'detainedOn'] as const satisfies readonly (keyof Worker &
  keyof UpdateWorker)[];

/** The trimmed value of a form field, '' when missing. */
function value(data: FormData, name: string): string {
  return String(data.get(name) ?? '').trim();
}

/** The form's starting values for a worker (the passport number is never known here: it stays empty). */
export function workerFormDefaults(worker: Worker): Record<string, string> {
  const defaults: Record<string, string> = {};
  for (const k of requiredFields) defaults[k] = worker[k] ?? '';
  for (const k of optionalFields) defaults[k] = worker[k] ?? '';
  defaults['emergencyContact.name'] = worker.emergencyContact?.name ?? '';
  defaults['emergencyContact.relationship'] = worker.emergencyContact?.relationship ?? '';
  defaults['emergencyContact.phone'] = worker.emergencyContact?.phone ?? '';
  defaults.passportNumber = '';
  return defaults;
}

/** The last characters of the masked passport number (`•••••1234` -> `1234`). */
export function passportEnding(worker: Pick<Worker, 'passportMasked'>): string {
  return worker.passportMasked.replace(/[^A-Za-z0-9]/g, '');
}

/**
 * The body of `PATCH /api/workers/{id}` from the edit form: only the fields whose value differs from the
 * worker's. The passport number only when one was typed (the form never holds the current one). An emptied
 * required field is sent as '' so the server's field error says what is missing instead of keeping the old
 * value silently; emptied contacts are cleared with `null`. A partly filled emergency contact is sent as typed,
 * so the server names the missing part.
 */
export function workerChanges(worker: Worker, data: FormData): UpdateWorker {
  const body: Record<string, unknown> = {};
  for (const k of requiredFields) {
    const v = value(data, k);
    if (v !== worker[k]) body[k] = v;
  }
  for (const k of optionalFields) {
    const v = value(data, k) || null;
    if (v !== worker[k]) body[k] = v;
  }
  const passport = value(data, 'passportNumber');
  if (passport) body.passportNumber = passport;

  const parts = {
    name: value(data, 'emergencyContact.name'),
    relationship: value(data, 'emergencyContact.relationship'),
    phone: value(data, 'emergencyContact.phone'),
  };
  const before = worker.emergencyContact;
  if (!parts.name && !parts.relationship && !parts.phone) {
    if (before) body.emergencyContact = null;
  } else if (
    !before ||
    before.name !== parts.name ||
    before.relationship !== parts.relationship ||
    before.phone !== parts.phone
  ) {
    body.emergencyContact = {
      ...(parts.name ? { name: parts.name } : {}),
      ...(parts.relationship ? { relationship: parts.relationship } : {}),
      ...(parts.phone ? { phone: parts.phone } : {}),
    };
  }
  return body as UpdateWorker;
}

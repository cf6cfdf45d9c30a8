import { describe, expect, it } from 'vitest';
import { updateWorkerSchema, type Worker } from '../../contract/pipeline.js';
import { passportEnding, workerChanges, workerFormDefaults } from './worker-edit.js';

const worker: Worker = {
  id: '00000000-0000-4000-8000-000000000001',
  organizationId: '00000000-0000-4000-8000-000000000002',
  organizationName: 'Hanbit Energy',
  familyName: 'SEO',
  givenName: 'HANEUL',
  nameHangul: '서하늘',
  birthDate: '1988-04-12',
  sex: 'M',
  nationality: 'KR',
  passportMasked: '•••••5678',
  passportExpiry: '2033-01-31',
  education: 'vocational',
  role: 'technician',
  qualifications: [],
  skills: ['TIG welding'],
  employedSince: '2012-03-01',
  profileMissing: [],
  phone: '+82 10-1234-5678',
  email: null,
  emergencyContact: { name: '서봄', relationship: 'spouse', phone: '+82 10-9999-0000' },
  detainedOn: null,
  userId: null,
  openCases: 0,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

/** The form as the edit page fills it, with some fields changed. */
const form = (changes: Record<string, string> = {}) => {
  const data = new FormData();
  for (const [k, v] of Object.entries({ ...workerFormDefaults(worker), ...changes })) data.set(k, v);
  return data;
};

describe('worker edit form', () => {
  it('starts from the worker, with an empty passport number', () => {
    const defaults = workerFormDefaults(worker);
    expect(defaults).toMatchObject({
      familyName: 'SEO',
      phone: '+82 10-1234-5678',
      email: '',
      'emergencyContact.relationship': 'spouse',
      passportNumber: '',
    });
    expect(passportEnding(worker)).toBe('5678');
  });

  it('sends nothing when nothing changed', () => {
    expect(workerChanges(worker, form())).toEqual({});
  });

  it('sends only the changed fields, trimmed, and passes the contract', () => {
    const body = workerChanges(worker, form({ phone: ' +82 10-2222-3333 ', passportExpiry: '2034-05-01' }));
    expect(body).toEqual({ phone: '+82 10-2222-3333', passportExpiry: '2034-05-01' });
    expect(updateWorkerSchema.safeParse(body).success).toBe(true);
  });

  it('sends the passport number only when one is typed', () => {
    expect(workerChanges(worker, form({ passportNumber: '  ' }))).not.toHaveProperty('passportNumber');
    expect(workerChanges(worker, form({ passportNumber: 'M9876 5432' }))).toEqual({
      passportNumber: 'M9876 5432',
    });
  });

  it('clears emptied contacts with null and sends an emptied required field for the server to name', () => {
    const body = workerChanges(
      worker,
      form({
        phone: '',
        familyName: '',
        'emergencyContact.name': '',
        'emergencyContact.relationship': '',
        'emergencyContact.phone': '',
      }),
    );
    expect(body).toEqual({ phone: null, familyName: '', emergencyContact: null });
    const parsed = updateWorkerSchema.safeParse(body);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['familyName']);
  });

  it('sends a changed emergency contact whole, and a partial one as typed', () => {
    expect(workerChanges(worker, form({ 'emergencyContact.phone': '+82 10-1111-2222' }))).toEqual({
      emergencyContact: { name: '서봄', relationship: 'spouse', phone: '+82 10-1111-2222' },
    });
    const partial = workerChanges(
      { ...worker, emergencyContact: null },
      form({
        'emergencyContact.name': '서봄',
        'emergencyContact.relationship': '',
        'emergencyContact.phone': '',
      }),
    );
    expect(partial).toEqual({ emergencyContact: { name: '서봄' } });
    const parsed = updateWorkerSchema.safeParse(partial);
    expect(parsed.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'emergencyContact.phone',
      'emergencyContact.relationship',
    ]);
  });
});

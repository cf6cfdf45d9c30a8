import { describe, expect, it } from 'vitest';
import { createWorkerSchema, updateWorkerSchema } from '../../contract/pipeline.js';
import { profileBody } from '../pages/Profile.js';
import { workerBody } from '../pages/WorkerForm.js';

const form = (entries: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(entries)) data.set(k, v);
  return data;
};

describe('add-worker form body', () => {
  it('leaves out empty optional fields and passes the contract', () => {
    const body = workerBody(
      form({
        familyName: 'yoon',
        givenName: 'SEOJUN',
        nameHangul: '윤서준',
        birthDate: '1987-06-20',
        sex: 'M',
        nationality: 'KR',
        passportNumber: 'm1234 5678',
        passportExpiry: '2031-01-01',
        education: 'bachelor',
        role: 'engineer',
        employedSince: '2014-02-01',
        phone: ' ',
        email: '',
        'emergencyContact.name': '',
      }),
    );
    expect(body).not.toHaveProperty('phone');
    expect(body).not.toHaveProperty('emergencyContact');
    expect(createWorkerSchema.safeParse(body).success).toBe(true);
  });
  it('sends the emergency contact as an object when any part is given', () => {
    const body = workerBody(form({ 'emergencyContact.name': '최영희', 'emergencyContact.phone': '010' }));
    expect(body.emergencyContact).toEqual({ name: '최영희', relationship: undefined, phone: '010' });
  });
});

describe('own profile body', () => {
  it('holds only the fields a worker may change, clears empty ones and drops blank qualifications', () => {
    const body = profileBody(form({ phone: '+82 10', email: '', skills: 'TIG welding\n\n Assembly ' }), [
      { name: 'Welder', issuer: 'HRD Korea', grade: '' },
      { name: '' },
    ]);
    expect(Object.keys(body).sort()).toEqual([
      'email',
      'emergencyContact',
      'phone',
      'qualifications',
      'skills',
    ]);
    expect(body).toMatchObject({
      phone: '+82 10',
      email: null,
      emergencyContact: null,
      skills: ['TIG welding', 'Assembly'],
      qualifications: [{ name: 'Welder', issuer: 'HRD Korea' }],
    });
    expect(updateWorkerSchema.safeParse(body).success).toBe(true);
  });
});

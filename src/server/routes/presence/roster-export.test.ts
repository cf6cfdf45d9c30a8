import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, Session, type TestApp } from '../../testing/app.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { rosterPdfDefinition, type RosterExport } from '../../services/presence/roster-export.js';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe.each(testDatabaseKinds)('roster exports (CSV and PDF) on %s', (kind) => {
  let t: TestApp;
  let hr: Session;
  let siteId: string;
  const on = day(0);

  beforeAll(async () => {
    t = await openTestApp(kind);
    hr = await Session.login(t.app, 'admin@hanbit-energy.example');
    const site = await hr.post('/api/sites', {
      name: 'Export Plant',
      sector: 'battery',
      address: '2 Way',
      city: 'Savannah',
      state: 'GA',
      timeZone: 'America/New_York',
    });
    expect(site.statusCode, site.body).toBe(201);
    siteId = site.json().id;
    const project = await hr.post('/api/projects', {
      siteId,
      code: 'EXP-1',
      name: '=HYPERLINK("http://evil.example")',
      sector: 'battery',
      investmentUsd: 1,
      startDate: day(-400),
    });
    expect(project.statusCode, project.body).toBe(201);
    const people = [
      { familyName: 'KANG', givenName: 'MINHO', nameHangul: '강민호', activities: ['construction_work'], cls: 'WB' },
      { familyName: 'YUN', givenName: 'SORA', nameHangul: '윤소라', activities: ['meetings'], cls: null },
    ]; // prettier-ignore
    for (const [i, p] of people.entries()) {
      const worker = await hr.post('/api/workers', {
        familyName: p.familyName, givenName: p.givenName, nameHangul: p.nameHangul, birthDate: '1985-05-05', sex: 'M',
        nationality: 'KR', passportNumber: `M7654321${i}`, passportExpiry: day(2000), education: 'vocational',
        role: 'technician', employedSince: '2011-03-02',
      }); // prettier-ignore
      expect(worker.statusCode, worker.body).toBe(201);
      const a = await hr.post('/api/assignments', {
        workerId: worker.json().id,
        projectId: project.json().id,
        activities: p.activities,
        startDate: day(-20),
        endDate: day(40),
        payer: 'foreign',
      });
      expect(a.statusCode, a.body).toBe(201);
      if (p.cls) {
        const e = await hr.post(`/api/workers/${worker.json().id}/entries`, {
          admittedOn: day(-5),
          classOfAdmission: p.cls,
          admitUntil: day(84),
        });
        expect(e.statusCode, e.body).toBe(201);
      }
    }
  }, 120_000);
  afterAll(async () => t?.close());

  it('exports the roster as CSV: BOM, bilingual header, one row per person, formulas neutralized', async () => {
    const res = await hr.get(`/api/sites/${siteId}/roster.csv?date=${on}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="roster-Export-Plant-${on}.csv"`);
    const bytes = res.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toContain('Name (Hangul) / 성명(한글)');
    expect(lines[0]).toContain('Admit until / 체류 만료일');
    expect(lines[0]).toContain('Flag / 상태');
    expect(lines).toHaveLength(3);
    const kang = lines.find((l) => l.startsWith('강민호'))!;
    expect(kang).toContain('KANG MINHO');
    expect(kang).toContain(',WB,');
    expect(kang).toContain(`,${day(-5)},${day(84)},84,`);
    expect(kang).toContain('Red: not permitted / 적색: 불허');
    expect(kang).toContain('Hands-on construction work / 직접 건설 작업: not permitted / 불허');
    expect(kang).not.toMatch(/construction_work|: red\b/); // words, not codes (issue 13)
    // The project name starting with "=" is prefixed with a quote (and quoted because it holds a quote).
    expect(kang).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    const yun = lines.find((l) => l.startsWith('윤소라'))!;
    expect(yun).toContain('no / 아니요');
    expect(yun).toContain('Grey: not present / 회색: 미입국');
  });

  it('exports the roster as a bilingual PDF with a contact sheet', async () => {
    const res = await hr.get(`/api/sites/${siteId}/roster.pdf?date=${on}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="roster-Export-Plant-${on}.pdf"`);
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(res.rawPayload.length).toBeGreaterThan(1024);
    // A site nobody is assigned to still gives a PDF (and a CSV with only the header).
    const empty = await hr.post('/api/sites', {
      name: '빈 현장 Empty',
      sector: 'battery',
      address: '3 Way',
      city: 'Dallas',
      state: 'TX',
      timeZone: 'America/Chicago',
    });
    const pdf = await hr.get(`/api/sites/${empty.json().id}/roster.pdf?date=${on}`);
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const csv = await hr.get(`/api/sites/${empty.json().id}/roster.csv?date=${on}`);
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="roster-Empty-${on}.csv"`);
    expect(csv.rawPayload.subarray(3).toString('utf8').trimEnd().split('\r\n')).toHaveLength(1);
  }, 60_000);

  it('lays out the PDF with flags as colour and words, and a contact sheet that invents nothing', async () => {
    const roster = (await hr.get(`/api/sites/${siteId}/roster?date=${on}`)).json();
    expect(roster.consulate).toMatchObject({ id: 'atlanta' });
    const data: RosterExport = {
      roster,
      admittedOn: {},
      site: {
        name: 'Export Plant',
        address: '2 Way',
        city: 'Savannah',
        state: 'GA',
        organizationName: 'Hanbit',
      },
      consulate: { ...roster.consulate, address: '229 Peachtree Street NE, Suite 2100, Atlanta, GA 30303' },
    };
    const text = JSON.stringify(rosterPdfDefinition(data));
    expect(text).toContain('Site roster · 현장 인원 명단');
    expect(text).toContain('■ Red: not permitted');
    expect(text).toContain('"color":"#c62828"');
    expect(text).toContain('Contact sheet · 비상 연락처');
    expect(text).toContain('Consulate General of the Republic of Korea in Atlanta');
    expect(text).toContain('229 Peachtree Street NE');
    expect(text).toContain('+1-404-522-1611');
    expect(text).toContain('Counsel / 법률 대리인');
    expect(text.match(/Not on file \/ 등록되지 않음/g)).toHaveLength(2);
  });

  it('answers 404 for a site the caller cannot see and 400 for a bad date', async () => {
    expect((await hr.get(`/api/sites/00000000-0000-4000-8000-000000000000/roster.csv`)).statusCode).toBe(404);
    expect((await hr.get(`/api/sites/${siteId}/roster.pdf?date=2026-13-45`)).statusCode).toBe(400);
  });
});

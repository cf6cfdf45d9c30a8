import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeReceiptNumber, parseI797 } from './notice.js';

/** Texts as people paste them from the PDF of an I-797 (fictional numbers and names). */
const RECEIPT = `THE UNITED STATES OF AMERICA
U.S. Citizenship and Immigration Services          I-797C, Notice of Action
Receipt Number                     Case Type
WAC2612345678                      I129 - PETITION FOR A NONIMMIGRANT WORKER
Received Date          Priority Date          Page
04/01/2026                                     1 of 1
Notice Date
04/08/2026
Petitioner: HANBIT BATTERY AMERICA LLC
Beneficiary: KIM MINJUN
Notice Type: Receipt Notice
Amount received: $2,805.00 U.S.`;

const RFE = `I-797E, Notice of Action
Receipt Number: WAC-26-123-45678
Case Type: I-129
Notice Date: June 2, 2026
Notice Type: Request for Evidence
The evidence submitted is insufficient to establish that the beneficiary has specialized knowledge.
Your response must be received in this office by August 28, 2026.`;

const APPROVAL = `I-797A, Notice of Action
Receipt Number LIN2698765432   Case Type I129 - PETITION FOR A NONIMMIGRANT WORKER
Received Date 03/02/2026   Notice Date 09/15/2026
Notice Type: Approval Notice
Class: L1B   Valid from 10/01/2026 to 09/30/2028`;

describe('receipt numbers', () => {
  it('are three letters and ten digits; spaces and dashes are dropped, letters capitalised', () => {
    expect(normalizeReceiptNumber('wac-26-123-45678')).toBe('WAC2612345678');
    expect(normalizeReceiptNumber('IOE 0912345678')).toBe('IOE0912345678');
    expect(normalizeReceiptNumber('WAC261234567')).toBeNull(); // nine digits
    expect(normalizeReceiptNumber('WA2612345678')).toBeNull();
    expect(normalizeReceiptNumber('WAC26123456789')).toBeNull();
    expect(normalizeReceiptNumber('')).toBeNull();
  });
});

describe('I-797 text', () => {
  it('reads a receipt notice: number, office, form, dates', () => {
    const n = parseI797(RECEIPT);
    expect(n).toMatchObject({
      receiptNumber: 'WAC2612345678',
      serviceCenter: 'WAC',
      status: 'received',
      formType: 'I-129',
      receivedDate: '2026-04-01',
      noticeDate: '2026-04-08',
      responseDue: null,
      missing: [],
    });
  });

  it('reads a request for evidence with its printed deadline (long dates, dashed number)', () => {
    const n = parseI797(RFE);
    expect(n).toMatchObject({
      receiptNumber: 'WAC2612345678',
      status: 'rfe',
      noticeDate: '2026-06-02',
      responseDue: '2026-08-28',
      responseDueComputed: false,
    });
  });

  it('computes an RFE deadline it cannot read (12 weeks and 3 mailing days) and says so', () => {
    const n = parseI797(RFE.replace(/Your response.*$/m, ''));
    expect(n.responseDue).toBe('2026-08-28');
    expect(n.responseDueComputed).toBe(true);
    const noid = parseI797(
      'Receipt Number: EAC2600000001\nNotice Date: 07/01/2026\nNotice of Intent to Deny',
    );
    expect(noid).toMatchObject({ status: 'noid', responseDue: '2026-08-03', responseDueComputed: true });
  });

  it('reads an approval and its validity', () => {
    expect(parseI797(APPROVAL)).toMatchObject({
      receiptNumber: 'LIN2698765432',
      status: 'approved',
      validFrom: '2026-10-01',
      validTo: '2028-09-30',
      noticeDate: '2026-09-15',
    });
  });

  it('the Notice Type line prevails over words in the body', () => {
    const n = parseI797(`${APPROVAL}\nThis approval follows the response to the request for evidence.`);
    expect(n.status).toBe('approved');
  });

  it('lists what it did not find, and refuses impossible dates', () => {
    const n = parseI797('Notice Type: Approval Notice\nNotice Date 02/30/2026');
    expect(n.receiptNumber).toBeNull();
    expect(n.noticeDate).toBeNull();
    expect(n.missing).toEqual(['receiptNumber', 'noticeDate']);
    expect(parseI797('nothing here').missing).toEqual(['receiptNumber', 'status', 'noticeDate']);
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        const n = parseI797(s);
        if (n.receiptNumber !== null) expect(n.receiptNumber).toMatch(/^[A-Z]{3}\d{10}$/);
      }),
      { numRuns: 400 },
    );
    expect(parseI797('Receipt Number '.repeat(10_000)).receiptNumber).toBeNull();
  });
});

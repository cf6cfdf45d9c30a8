import type { UscisPetition, UscisStatusValue } from '../../../contract/uscis.js';
import type { Workflow } from '../../../contract/workflow.js';
import { daysBetween } from '../../../core/dates/index.js';
import { serviceCenters } from '../../../core/uscis/notice.js';
import type { FieldCipher } from '../../crypto/field-encryption.js';
import { workflowById } from '../pipeline/workflow-bridge.js';
import { petitionStage } from './stages.js';

/**
 * The petition record as the case page reads it (issue 18): one JSON value in the case's detail query, turned
 * into the contract's shape. Apart from the writes (`uscis.ts`), so the case service can read it without a circle.
 */
export const RECEIPT_CONTEXT = 'uscis.receipt';

export function isPetition(workflow: Workflow): boolean {
  return petitionStage(workflow) !== null;
}

export interface PetitionRow {
  [key: string]: unknown;
  receipt_enc: string | null;
  receipt_last4: string | null;
  service_center: string | null;
  form_type: string | null;
  status: UscisStatusValue | null;
  status_on: string | null;
  valid_from: string | null;
  valid_to: string | null;
  history: {
    status: UscisStatusValue;
    on: string;
    responseDue: string | null;
    source: 'manual' | 'notice';
    by: string;
    note: string | null;
    enteredAt: string;
  }[];
}

/**
 * The petition's row and status history as one JSON value, for the case page's detail query (its query budget:
 * no statement of its own). `c` is the alias of `cases`.
 */
export const USCIS_PETITION_JSON = `(SELECT row_to_json(x) FROM (
    SELECT p.receipt_enc, p.receipt_last4, p.service_center, p.form_type, p.status, p.status_on::text,
           p.valid_from::text, p.valid_to::text,
           coalesce((SELECT json_agg(json_build_object('status', e.status, 'on', e.on_date,
                       'responseDue', e.response_due, 'source', e.source, 'by', e.by_label, 'note', e.note,
                       'enteredAt', e.created_at) ORDER BY e.on_date, e.created_at)
                       FROM uscis_status_events e WHERE e.case_id = p.case_id), '[]'::json) AS history
      FROM uscis_petitions p WHERE p.case_id = c.id) x)`;

/** A case's petition record as the case page shows it; null for a case without a petition. */
export function uscisPetitionOf(
  r: PetitionRow | null,
  cipher: FieldCipher,
  workflowId: string,
  reveal: boolean,
  today: string,
): UscisPetition | null {
  if (!isPetition(workflowById(workflowId))) return null;
  const history = (r?.history ?? []).map((h) => ({ ...h, enteredAt: new Date(h.enteredAt).toISOString() }));
  // The open request: the last RFE or NOID with no response and no decision after it.
  let pending: UscisPetition['pending'] = null;
  for (const h of history) {
    if ((h.status === 'rfe' || h.status === 'noid') && h.responseDue)
      pending = { notice: h.status, responseDue: h.responseDue, daysLeft: daysBetween(today, h.responseDue) };
    else if (h.status !== 'biometrics' && h.status !== 'transferred') pending = null;
  }
  const center = r?.service_center ?? null;
  return {
    receiptNumber: r?.receipt_enc && reveal ? cipher.decrypt(r.receipt_enc, RECEIPT_CONTEXT) : null,
    receiptLast4: r?.receipt_last4 ?? null,
    serviceCenter: center
      ? { code: center, name: serviceCenters[center] ?? { en: center, ko: center } }
      : null,
    formType: r?.form_type ?? null,
    status: r?.status ?? null,
    statusOn: r?.status_on ?? null,
    validFrom: r?.valid_from ?? null,
    validTo: r?.valid_to ?? null,
    pending,
    history,
  };
}

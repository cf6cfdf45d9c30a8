import { createHash } from 'node:crypto';
import type { z } from 'zod';
import {
  attestationCatalogue,
  attestationKinds,
  type Attestation,
  type AttestationKind,
  type signAttestationSchema,
} from '../../../contract/attestations.js';
import { recordAudit } from '../../audit/audit.js';
import type { Queryable } from '../../db/database.js';
import { ApiError } from '../../http/problem.js';
import { actorLabel, auditContextOf, iso, type ServiceContext } from '../context.js';
import { writableCase } from '../consular/case-consular.js';
import { getCase } from '../pipeline/cases.js';
import { fieldError, nowOf, type PipelineDeps } from '../pipeline/common.js';

/**
 * Signatures on attestations (issue 18, item 4). An attestation applies to a case by its category; its text is
 * filled in from the case. Signing keeps the typed name and title, the time, the account, a hash of the session or
 * token, the exact text and its SHA-256, and the facts the attestation covers (the worker's name, role and
 * education, the employer, the assignment's activities, dates and payer, the assessment's facts, the category and
 * provision) with their hash. When any of those facts changes, the signature is void, and the case says which.
 */
type Facts = Record<string, unknown>;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with keys sorted, so the same facts always hash the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}

async function factsOf(
  q: Queryable,
  caseId: string,
): Promise<{ facts: Facts; worker: string; employer: string }> {
  const [r] = await q.query<{
    category: string;
    provision: string | null;
    name: string;
    hangul: string;
    role: string;
    education: string;
    employer: string;
    activities: string[];
    start_date: string;
    end_date: string;
    payer: string;
    assessed: Record<string, unknown> | null;
  }>(
    `SELECT c.category, c.provision, w.family_name || ' ' || w.given_name AS name, w.name_hangul AS hangul, w.role,
            w.education, o.name AS employer, a.activities, a.start_date::text, a.end_date::text, a.payer,
            asm.request -> 'assignment' AS assessed
       FROM cases c JOIN workers w ON w.id = c.worker_id JOIN organizations o ON o.id = c.organization_id
       JOIN assignments a ON a.id = c.assignment_id LEFT JOIN assessments asm ON asm.id = c.assessment_id
      WHERE c.id = $1`,
    [caseId],
  );
  const assessed = r!.assessed ?? {};
  const facts: Facts = {
    category: r!.category,
    provision: r!.provision,
    worker: { name: r!.name, nameHangul: r!.hangul, role: r!.role, education: r!.education },
    employer: r!.employer,
    assignment: { activities: [...r!.activities].sort(), startDate: r!.start_date, endDate: r!.end_date, payer: r!.payer }, // prettier-ignore
    assessed: {
      specializedKnowledgeEssential: assessed.specializedKnowledgeEssential ?? null,
      occupationRequiresDegree: assessed.occupationRequiresDegree ?? null,
      equipmentFromAbroad: assessed.equipmentFromAbroad ?? null,
      contractRequiresSellerService: assessed.contractRequiresSellerService ?? null,
    },
  };
  return { facts, worker: `${r!.hangul} (${r!.name})`, employer: r!.employer.replace(/ \(fictional\)$/, '') };
}

function textOf(kind: AttestationKind, worker: string, employer: string): { en: string; ko: string } {
  const t = attestationCatalogue[kind].text;
  const fill = (s: string) => s.replaceAll('{worker}', worker).replaceAll('{employer}', employer);
  return { en: fill(t.en), ko: fill(t.ko) };
}

/** The facts (dotted names) whose values differ between two snapshots. */
function changedFacts(before: Facts, after: Facts, prefix = ''): string[] {
  const out: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[key];
    const b = after[key];
    if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a))
      out.push(...changedFacts(a as Facts, b as Facts, `${prefix}${key}.`));
    else if (canonical(a) !== canonical(b)) out.push(`${prefix}${key}`);
  }
  return out;
}

function applicable(category: string): AttestationKind[] {
  return attestationKinds.filter((k) => attestationCatalogue[k].categories.includes(category));
}

export async function caseAttestations(
  ctx: ServiceContext,
  deps: PipelineDeps,
  caseId: string,
): Promise<Attestation[]> {
  // prettier-ignore
  const c = await getCase(ctx, deps, caseId);
  const kinds = applicable(c.category);
  if (kinds.length === 0) return [];
  const { facts, worker, employer } = await factsOf(ctx.db, caseId);
  const factsHash = sha256(canonical(facts));
  const rows = await ctx.db.query<{
    id: string;
    kind: AttestationKind;
    facts: Facts;
    facts_hash: string;
    signer_name: string;
    signer_title: string;
    signer_label: string;
    signed_at: Date;
  }>(
    `SELECT DISTINCT ON (kind) id, kind, facts, facts_hash, signer_name, signer_title, signer_label, signed_at
       FROM case_attestations WHERE case_id = $1 ORDER BY kind, signed_at DESC, id`,
    [caseId],
  );
  return kinds.map((kind) => {
    const text = textOf(kind, worker, employer);
    const row = rows.find((r) => r.kind === kind);
    const valid = row ? row.facts_hash === factsHash : false;
    return {
      kind,
      text,
      textHash: sha256(`${text.en}\n${text.ko}`),
      citation: attestationCatalogue[kind].citation,
      signature: row
        ? {
            id: row.id,
            name: row.signer_name,
            title: row.signer_title,
            by: row.signer_label,
            signedAt: iso(row.signed_at)!,
            valid,
            changed: valid ? [] : changedFacts(row.facts, facts),
          }
        : null,
    };
  });
}

export async function signAttestation(
  ctx: ServiceContext,
  deps: PipelineDeps,
  caseId: string,
  input: z.output<typeof signAttestationSchema>,
): Promise<Attestation[]> {
  const c = await writableCase(ctx, deps, caseId);
  if (!applicable(c.category).includes(input.kind))
    throw new ApiError('request.invalid', {
      errors: [
        fieldError('kind', 'is not an attestation this case relies on', '이 사건에 필요한 증명이 아닙니다'),
      ],
    });
  const now = nowOf(deps);
  await ctx.db.transaction(async (tx) => {
    const { facts, worker, employer } = await factsOf(tx, caseId);
    const text = textOf(input.kind, worker, employer);
    const textHash = sha256(`${text.en}\n${text.ko}`);
    if (textHash !== input.textHash)
      throw new ApiError('request.invalid', {
        errors: [fieldError('textHash', 'the text changed since it was shown: read it again', '보여 드린 뒤 문구가 바뀌었습니다. 다시 읽어 주세요')], // prettier-ignore
      });
    const credential = ctx.actor.sessionId ?? ctx.actor.tokenId ?? ctx.actor.userId;
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO case_attestations (case_id, organization_id, kind, text_en, text_ko, text_hash, facts, facts_hash,
         signer_user_id, signer_name, signer_title, signer_label, credential_hash, signed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
      [
        caseId,
        c.organizationId,
        input.kind,
        text.en,
        text.ko,
        textHash,
        JSON.stringify(facts),
        sha256(canonical(facts)),
        ctx.actor.userId,
        input.name,
        input.title,
        actorLabel(ctx),
        sha256(`${ctx.actor.via}:${credential}`),
        now.toISOString(),
      ],
    );
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'attestation.sign',
      targetType: 'case',
      targetId: caseId,
      organizationId: c.organizationId,
      after: { kind: input.kind, name: input.name, title: input.title, textHash },
      details: { attestationId: row!.id },
    });
  });
  return caseAttestations(ctx, deps, caseId);
}

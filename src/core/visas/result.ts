import type {
  ActivityId,
  ActivityStatus,
  Attestation,
  BilingualText,
  CapReference,
  CategoryId,
  CategoryResult,
  Fee,
  LeadTime,
  Note,
  Reason,
  RequiredDocument,
  Verdict,
} from '../../contract/assessment.js';
import type { Requirement } from './requirement.js';

/**
 * Collects one category's trace while its rules run (json-rules-engine's lesson: results explain
 * themselves) and derives the verdict from it:
 * - `ineligible` when a requirement failed or an activity is not permitted;
 * - `conditional` when attestations, conditional activities or conditions remain;
 * - `eligible` otherwise.
 */
export class ResultBuilder {
  readonly reasons: Reason[] = [];
  readonly attestations: Attestation[] = [];
  readonly documents: RequiredDocument[] = [];
  readonly notes: Note[] = [];
  readonly activities: Partial<Record<ActivityId, ActivityStatus>> = {};
  failed = false;
  conditional = false;
  verify = false;

  /** Records a requirement's outcome; returns `passed`. */
  check(requirement: Requirement, passed: boolean, facts?: Reason['facts']): boolean {
    const reason = passed ? requirement.passed : requirement.failed;
    this.reasons.push(
      facts
        ? reason.verify
          ? {
              rule: reason.rule,
              passed,
              citation: reason.citation,
              sourceUrl: reason.sourceUrl,
              message: reason.message,
              verify: true,
              facts,
            }
          : {
              rule: reason.rule,
              passed,
              citation: reason.citation,
              sourceUrl: reason.sourceUrl,
              message: reason.message,
              facts,
            }
        : reason,
    );
    if (!passed) this.failed = true;
    if (reason.verify) this.verify = true;
    return passed;
  }

  /** A judgement fact: attested true -> listed and the verdict is at most conditional; false -> fails. */
  attest(requirement: Requirement, attested: boolean): boolean {
    this.check(requirement, attested);
    if (attested && requirement.attest) {
      this.attestations.push(requirement.attest);
      this.conditional = true;
    }
    return attested;
  }

  /** A condition that the user must still meet (e.g. a longer admission than CBP usually grants). */
  condition(attestation: Attestation): void {
    this.attestations.push(attestation);
    this.conditional = true;
  }

  /** Adds a reason once (static reasons shared between provisions are compared by reference). */
  reasonOnce(reason: Reason): void {
    if (!this.reasons.includes(reason)) {
      this.reasons.push(reason);
      if (!reason.passed) this.failed = true;
      if (reason.verify) this.verify = true;
    }
  }

  activity(id: ActivityId, status: ActivityStatus, reason: Reason): void {
    this.activities[id] = status;
    this.reasons.push(reason);
    if (status === 'not_permitted') this.failed = true;
    else if (status === 'conditional') this.conditional = true;
  }

  document(document: RequiredDocument): void {
    if (!this.documents.includes(document)) this.documents.push(document);
  }

  note(note: Note): void {
    this.notes.push(note);
    if (note.verify) this.verify = true;
  }

  verdict(): Verdict {
    return this.failed ? 'ineligible' : this.conditional ? 'conditional' : 'eligible';
  }

  finish(
    category: CategoryId,
    name: BilingualText,
    parts: {
      provision: string | null;
      provisions?: string[];
      maxStayDays: number | null;
      admitUntil?: string | null;
      leadTimeDays: LeadTime | null;
      feesUsd: readonly Fee[];
      cap: CapReference | null;
      verdict?: Verdict;
    },
  ): CategoryResult {
    let verify = this.verify;
    for (const fee of parts.feesUsd) if (fee.verify) verify = true;
    return {
      category,
      name,
      provision: parts.provision,
      provisions: parts.provisions ?? (parts.provision ? [parts.provision] : []),
      verdict: parts.verdict ?? this.verdict(),
      activities: this.activities,
      maxStayDays: parts.maxStayDays,
      admitUntil: parts.admitUntil ?? null,
      reasons: this.reasons,
      attestations: this.attestations,
      documents: this.documents,
      leadTimeDays: parts.leadTimeDays,
      feesUsd: parts.feesUsd as Fee[],
      cap: parts.cap,
      notes: this.notes,
      verify,
    };
  }
}

import { useCallback, useEffect, useState } from 'react';
import type { Me } from '../../contract/api.js';
import { categoryIds } from '../../contract/assessment.js';
import type { CaseBoard, CaseDetail, CaseSummary, Project } from '../../contract/pipeline.js';
import { slaStates, type SlaState } from '../../contract/workflow.js';
import { api, ApiProblem } from '../api.js';
import { LoadProblem, Loading } from '../components/feedback.js';
import { useResource } from '../data.js';
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import {
  boardUrl,
  columnsFor,
  filtersFromSearch,
  listUrl,
  nextStage,
  searchFromFilters,
  type BoardFilters,
  type Transition,
  exportUrl,
} from './model.js';
import { caseProblem, ProblemNotice, SlaBadge, TransitionDialog, useCategoryName } from './parts.js';

const PER_STAGE = 50;
/** The drag data of a card (drag and drop is a shortcut; "Next stage" and "Move…" do the same by keyboard). */
const DRAG_TYPE = 'application/x-korus-case';
const LIST_LIMIT = 2000;

/** `/cases`: the case board of one project, a column per stage, with filters kept in the address. */
export function CaseBoardPage({ me }: { me: Me }) {
  const { t, lang } = useI18n();
  const [filters, setFilters] = useState<BoardFilters>(() =>
    filtersFromSearch(window.location.search, slaStates),
  );
  const [query, setQuery] = useState(filters.q);
  const [version, setVersion] = useState(0);
  const [status, setStatus] = useState('');
  const [actionProblem, setActionProblem] = useState<ApiProblem | null>(null);
  const [moving, setMoving] = useState<{ card: CaseSummary; transitions: Transition[] } | null>(null);
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const canWrite = me.capabilities.includes('pipeline.write');
  const canOverride = me.capabilities.includes('cases.override');

  const projects = useResource<{ items: Project[] }>('/api/projects');
  const projectId =
    filters.projectId && projects.data?.items.some((p) => p.id === filters.projectId)
      ? filters.projectId
      : (projects.data?.items[0]?.id ?? '');
  const effective = { ...filters, projectId };
  const board = useResource<CaseBoard>(projectId ? `${boardUrl(effective, PER_STAGE)}&v=${version}` : null);
  const listed = listUrl(effective, LIST_LIMIT);
  const list = useResource<{ total: number; items: CaseSummary[] }>(
    projectId && listed ? `${listed}&v=${version}` : null,
  );

  // Keep the filters in the address (replace, not push: typing must not fill the history).
  useEffect(() => {
    const search = searchFromFilters(effective);
    if (search !== window.location.search)
      window.history.replaceState(null, '', `${window.location.pathname}${search}`);
  });

  // The worker search applies after a short pause in typing.
  useEffect(() => {
    const timer = window.setTimeout(() => setFilters((f) => ({ ...f, q: query })), 250);
    return () => window.clearTimeout(timer);
  }, [query]);

  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  const categoryName = useCategoryName();

  /**
   * Moves a card: to its next stage ("Next stage"), or to the column it was dropped on. A move that needs an
   * override reason, or a next stage that does not exist, opens the dialog; a stage the case cannot reach from
   * where it is says so.
   */
  const moveCard = async (card: CaseSummary, target?: string) => {
    setActionProblem(null);
    setStatus('');
    try {
      const detail = await api<CaseDetail>('GET', `/api/cases/${card.id}`);
      const next =
        target === undefined ? nextStage(detail) : detail.allowedTransitions.find((m) => m.to === target);
      if (target !== undefined && !next) {
        const title = board.data?.columns.find((col) => col.stage === target)?.title[lang] ?? target;
        setStatus(t('cases.board.cannotMove', { name: workerLabel(card, lang), stage: title }));
        return;
      }
      if (!next || next.needsOverride) {
        setMoving({ card, transitions: next ? [next] : detail.allowedTransitions });
        return;
      }
      const moved = await api<CaseDetail>('POST', `/api/cases/${card.id}/transitions`, {
        to: next.to,
      });
      setStatus(t('cases.board.moved', { name: workerLabel(card, lang), stage: moved.stageTitle[lang] }));
      refresh();
    } catch (error) {
      setActionProblem(caseProblem(error));
    }
  };
  const openMove = async (card: CaseSummary) => {
    setActionProblem(null);
    try {
      const detail = await api<CaseDetail>('GET', `/api/cases/${card.id}`);
      setMoving({ card, transitions: detail.allowedTransitions });
    } catch (error) {
      setActionProblem(caseProblem(error));
    }
  };

  const columns = board.data ? columnsFor(board.data.columns, list.data?.items ?? null, filters.q) : [];
  const loading = (projectId && !board.data && !board.problem) || (listed && !list.data && !list.problem);

  return (
    <section aria-labelledby="cases-title" className="page page-wide">
      <div className="page-head">
        <h1 id="cases-title">{t('cases.board.title')}</h1>
        <CasesTabs me={me} current="board" />
      </div>
      <p className="lead">{t('cases.board.intro')}</p>
      {canWrite && <p className="help">{t('cases.board.dragHint')}</p>}
      {projectId && (
        <p className="page-actions">
          <a className="button-secondary" href={exportUrl(effective, 'csv')} download>
            {t('cases.board.exportCsv')}
          </a>{' '}
          <a className="button-secondary" href={exportUrl(effective, 'xlsx')} download>
            {t('cases.board.exportXlsx')}
          </a>
        </p>
      )}
      {projects.problem && <LoadProblem problem={projects.problem} />}
      {projects.data && projects.data.items.length === 0 && (
        <p className="notice">{t('cases.board.noProjects')}</p>
      )}
      {projects.data && projects.data.items.length > 0 && (
        <form className="filter case-filters" role="search" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor="case-project">{t('cases.board.project')}</label>
            <select
              id="case-project"
              value={projectId}
              onChange={(e) => setFilters((f) => ({ ...f, projectId: e.target.value }))}
            >
              {projects.data.items.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.code} · {p.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="case-category">{t('cases.board.category')}</label>
            <select
              id="case-category"
              value={filters.category}
              onChange={(e) => setFilters((f) => ({ ...f, category: e.target.value }))}
            >
              <option value="">{t('cases.board.all')}</option>
              {categoryIds.map((c) => (
                <option key={c} value={c}>
                  {categoryName(c)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="case-sla">{t('cases.board.sla')}</label>
            <select
              id="case-sla"
              value={filters.sla}
              onChange={(e) => setFilters((f) => ({ ...f, sla: e.target.value as SlaState | '' }))}
            >
              <option value="">{t('cases.board.all')}</option>
              {slaStates.map((s) => (
                <option key={s} value={s}>
                  {t(`cases.sla.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="case-q">{t('cases.board.search')}</label>
            <input
              id="case-q"
              type="search"
              value={query}
              placeholder={t('cases.board.searchPlaceholder')}
              onChange={(e) => setQuery(e.target.value)}
            />
          </div>
        </form>
      )}
      <p className="form-status" role="status">
        {status}
      </p>
      {actionProblem && <ProblemNotice problem={actionProblem} />}
      {board.problem && <LoadProblem problem={board.problem} />}
      {list.problem && <LoadProblem problem={list.problem} />}
      {loading && <Loading />}
      {board.data && !loading && (
        <>
          <p className="board-totals">
            {listed && list.data
              ? t('cases.board.filtered', { n: columns.reduce((s, c) => s + c.count, 0) })
              : t('cases.board.totals', board.data.totals)}
          </p>
          {list.data && list.data.total > list.data.items.length && (
            <p className="notice notice-warning">
              {t('cases.board.truncated', { shown: list.data.items.length, total: list.data.total })}
            </p>
          )}
          <div className="board" role="region" aria-label={t('cases.board.columns')} tabIndex={0}>
            {columns.map((col) => (
              <section
                key={col.stage}
                className={`board-column${dropTarget === col.stage ? ' drop-target' : ''}`}
                aria-labelledby={`col-${col.stage}`}
                data-stage={col.stage}
                onDragOver={(e) => {
                  if (!canWrite || !e.dataTransfer.types.includes(DRAG_TYPE)) return;
                  e.preventDefault();
                  e.dataTransfer.dropEffect = 'move';
                  setDropTarget(col.stage);
                }}
                onDragLeave={() => setDropTarget((s) => (s === col.stage ? null : s))}
                onDrop={(e) => {
                  e.preventDefault();
                  setDropTarget(null);
                  const id = e.dataTransfer.getData(DRAG_TYPE);
                  const card = columns.flatMap((x) => x.cards).find((x) => x.id === id);
                  if (card && card.stage !== col.stage) void moveCard(card, col.stage);
                }}
              >
                <h2 id={`col-${col.stage}`}>
                  {col.title[lang]}{' '}
                  <span className="board-count">{t('cases.board.count', { n: col.count })}</span>
                </h2>
                {col.cards.length === 0 ? (
                  <p className="muted">{t('cases.board.emptyColumn')}</p>
                ) : (
                  <ul className="board-cards">
                    {col.cards.map((card) => (
                      <CaseCard
                        key={card.id}
                        card={card}
                        canWrite={canWrite}
                        onNext={() => void moveCard(card)}
                        onMove={() => void openMove(card)}
                      />
                    ))}
                  </ul>
                )}
                {col.count > col.cards.length && (
                  <p className="muted">{t('cases.board.more', { n: col.count - col.cards.length })}</p>
                )}
              </section>
            ))}
          </div>
        </>
      )}
      {moving && (
        <TransitionDialog
          caseId={moving.card.id}
          workerName={workerLabel(moving.card, lang)}
          transitions={moving.transitions}
          canOverride={canOverride}
          onClose={() => setMoving(null)}
          onDone={(detail) => {
            setMoving(null);
            setStatus(
              t('cases.board.moved', {
                name: workerLabel(moving.card, lang),
                stage: detail.stageTitle[lang],
              }),
            );
            refresh();
          }}
        />
      )}
    </section>
  );
}

export function workerLabel(
  c: Pick<CaseSummary, 'workerName' | 'workerNameHangul'>,
  lang: 'en' | 'ko',
): string {
  return lang === 'ko'
    ? `${c.workerNameHangul} (${c.workerName})`
    : `${c.workerName} (${c.workerNameHangul})`;
}

function CaseCard({
  card,
  canWrite,
  onNext,
  onMove,
}: {
  card: CaseSummary;
  canWrite: boolean;
  onNext: () => void;
  onMove: () => void;
}) {
  const { t, lang } = useI18n();
  const categoryName = useCategoryName();
  const titleId = `card-${card.id}`;
  return (
    <li
      className={`case-card sla-border-${card.sla}`}
      data-case={card.id}
      draggable={canWrite && card.status === 'open'}
      onDragStart={(e) => {
        e.dataTransfer.setData(DRAG_TYPE, card.id);
        e.dataTransfer.effectAllowed = 'move';
      }}
    >
      <h3 id={titleId}>
        <Link href={`/cases/${card.id}`}>
          <span lang="ko">{card.workerNameHangul}</span>
        </Link>{' '}
        <span className="case-card-roman" lang="en">
          {card.workerName}
        </span>
      </h3>
      <p className="case-card-category">{categoryName(card.category, card.provision)}</p>
      <dl className="case-card-facts">
        <dt>{t('cases.targetDate')}</dt>
        <dd>
          <time dateTime={card.targetDate}>{card.targetDate}</time>
        </dd>
        <dt>{t('cases.sla.label')}</dt>
        <dd>
          <SlaBadge sla={card.sla} daysLate={card.daysLate} />
        </dd>
        <dt>{t('cases.organization')}</dt>
        <dd>{card.organizationName}</dd>
      </dl>
      {canWrite && card.status === 'open' && (
        <div className="case-card-actions">
          <button
            type="button"
            className="button-secondary"
            onClick={onNext}
            aria-label={t('cases.board.nextFor', { name: workerLabel(card, lang) })}
          >
            {t('cases.board.next')}
          </button>
          <button
            type="button"
            className="button-link"
            onClick={onMove}
            aria-label={t('cases.board.moveFor', { name: workerLabel(card, lang) })}
          >
            {t('cases.board.move')}
          </button>
        </div>
      )}
    </li>
  );
}

/** Board and lead times as two views of the module (links, since each has its own address). */
export function CasesTabs({ me, current }: { me: Me; current: 'board' | 'stats' }) {
  const { t } = useI18n();
  if (!me.capabilities.includes('stats.read') || !me.capabilities.includes('pipeline.read')) return null;
  return (
    <nav className="page-actions case-views" aria-label={t('cases.views')}>
      <Link
        href="/cases"
        aria-current={current === 'board' ? 'page' : undefined}
        className="button-secondary"
      >
        {t('cases.board.title')}
      </Link>
      <Link
        href="/cases/stats"
        aria-current={current === 'stats' ? 'page' : undefined}
        className="button-secondary"
      >
        {t('cases.stats.title')}
      </Link>
    </nav>
  );
}

/**
 * /partage/:id — the sharer's screen while a session runs: what is being sent and how, the
 * "are you OK?" question, "I have arrived", more time, guest links, and the SOS button. The
 * engine (sharer.ts) keeps running if the person moves to another page of the app.
 */
import './sharing.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { useSession } from '../accounts/session.tsx';
import { CLIENT_ERRORS, errorCode } from '../api/client.ts';
import { FormAlert, focusOnMount } from '../app/form.tsx';
import { Loading } from '../app/loading.tsx';
import { Page } from '../app/page.tsx';
import { PATHS } from '../app/paths.ts';
import { type ShareView, sharingApi } from './api.ts';
import { MORE_MINUTES, moreDue, screenTimes, viewIsBehind } from './checkin-answer.ts';
import { formatTime } from './format.ts';
import { GuestLinks } from './guest-links.tsx';
import { useLng, useT } from './i18n.ts';
import { arrivalPending, dropArrival, keepArrival } from './pending-arrival.ts';
import { runSharer, type Sharer } from './sharer.ts';
import { SharerStatus } from './sharer-status.tsx';
import { keyNewDevices } from './start-share.ts';
import { forgetShare, getShare, type ShareRecord } from './store.ts';
import { useAction } from './use-action.ts';
import { useMaybeObservable } from './use-observable.ts';

const MINUTE = 60_000;
const REFRESH_MS = 30_000;

function Question({
  share,
  asked,
  onAnswer,
}: {
  share: ShareView;
  /** The question as the socket brought it (the session view may be a little older). */
  asked: 'overdue' | 'still' | null;
  onAnswer: (v: ShareView) => void;
}) {
  const t = useT();
  const action = useAction();
  const asking = asked ?? (share.checkin?.state === 'asking' ? share.checkin.reason : null);
  const alerted = share.status === 'alerted' && share.alertReason !== 'sos';
  const lng = useLng();
  const deadline = share.checkin?.state === 'asking' ? share.checkin.dueAt : null;
  if (!asking && !alerted) return null;
  // "+ 15 min" only where it differs from "Je vais bien" (checkin-answer.ts).
  const { due } = screenTimes(share);
  const more = moreDue(due, Date.now());
  const answer = (newDue?: number) =>
    action.run(async () => {
      const view = newDue
        ? await sharingApi.ok(share.id, new Date(newDue).toISOString())
        : await sharingApi.ok(share.id);
      onAnswer(view);
    });
  return (
    <section className="question" role="alert" aria-labelledby="question-title">
      <h2 id="question-title">{alerted ? t('question.alertedTitle') : t('question.title')}</h2>
      <p>
        {alerted
          ? t('question.alertedBody')
          : `${asking === 'still' ? t('question.still') : t('question.overdue')} ${
              // The deadline comes from the server (HAVRE_CHECKIN_GRACE); the view may predate the question.
              deadline ? t('question.deadline', { time: formatTime(deadline, lng) }) : t('question.soon')
            }`}
      </p>
      <FormAlert message={action.error} attempt={action.attempt} />
      <div className="actions">
        <button
          type="button"
          className="button ok big"
          aria-disabled={action.busy || undefined}
          onClick={() => answer()}
        >
          {t('question.ok')}
        </button>
        {more !== null && (
          <button type="button" className="button secondary" onClick={() => answer(more)}>
            {t('question.more', { minutes: MORE_MINUTES })}
          </button>
        )}
      </div>
      {more === null && <p className="aside">{t('question.okAgain', { minutes: MORE_MINUTES })}</p>}
    </section>
  );
}

function Extend({ share, onChange }: { share: ShareView; onChange: (v: ShareView) => void }) {
  const t = useT();
  const action = useAction();
  const due = share.expectedArrival ?? share.until;
  if (!due || share.alertReason === 'sos') return null;
  const extend = (minutes: number) =>
    action.run(async () => {
      const base = Math.max(Date.now(), Date.parse(due));
      onChange(await sharingApi.checkin(share.id, new Date(base + minutes * MINUTE).toISOString()));
    });
  return (
    <div className="extend">
      <p className="extend-label">{t('screen.extend')}</p>
      <FormAlert message={action.error} attempt={action.attempt} />
      <div className="chips" role="group" aria-label={t('screen.extend')}>
        {[15, 30, 60].map((m) => (
          <button
            key={m}
            type="button"
            className="chip"
            aria-disabled={action.busy || undefined}
            onClick={() => extend(m)}
          >
            {t('screen.extendBy', { minutes: m })}
          </button>
        ))}
      </div>
    </div>
  );
}

/** "I have arrived" kept without network is sent again this often (and when the network is back). */
const ARRIVAL_RETRY_MS = 10_000;

export default function SharingScreen() {
  const t = useT();
  const lng = useLng();
  const { id = '' } = useParams();
  const { me } = useSession();
  const location = useLocation();
  const withoutDevice = (location.state as { withoutDevice?: number } | null)?.withoutDevice ?? 0;
  const action = useAction();
  const [share, setShare] = useState<ShareView | null>(null);
  const [record, setRecord] = useState<ShareRecord | null | undefined>(undefined);
  const [sharer, setSharer] = useState<Sharer | null>(null);
  const [ended, setEnded] = useState<'arrived' | 'ended' | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: action.run is stable
  const refresh = useCallback(
    () =>
      action.run(async () => {
        const view = await sharingApi.share(id);
        setShare(view);
        if (view.status === 'ended') {
          dropArrival(id);
          setEnded((e) => e ?? 'ended');
          await sharer?.finish();
          await forgetShare(id);
        }
      }),
    [id, sharer],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: once per session id
  useEffect(() => {
    let live = true;
    void (async () => {
      const stored = (await getShare(id)) ?? null;
      if (!live) return;
      setRecord(stored);
      await refresh();
    })();
    return () => {
      live = false;
    };
  }, [id]);

  // Start (or find) the engine once the session is known to be running and the key is here.
  const running = Boolean(record && share && share.status !== 'ended' && me && record.userId === me.id);
  const sos = Boolean(share?.sos);
  useEffect(() => {
    if (!running || !record) return;
    const engine = runSharer(record);
    setSharer(engine);
    if (sos) void engine.makeUrgent();
  }, [running, record, sos]);

  // Once per visit: a chosen contact's new phone gets the key of this session too.
  const keyed = useRef(false);
  useEffect(() => {
    if (!running || !record || !share?.recipients || keyed.current) return;
    keyed.current = true;
    void keyNewDevices(record, share.recipients).catch(() => {});
  }, [running, record, share?.recipients]);

  useEffect(() => {
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const engine = useMaybeObservable(sharer);
  // biome-ignore lint/correctness/useExhaustiveDependencies: react to the engine's status
  useEffect(() => {
    // The server's word through the socket (alert, ended, a question): show it now.
    if (engine?.status === 'ended' && !ended) setEnded('ended');
    if (engine && share && viewIsBehind(engine, share)) void refresh();
  }, [engine?.status, engine?.question]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: at each answer or new time the socket tells of
  useEffect(() => {
    // Answered here or on another screen: the new expected arrival, or when the next question comes.
    if (engine?.answers) void refresh();
  }, [engine?.answers]);

  const [arrivalWaits, setArrivalWaits] = useState(() => arrivalPending(id));
  /** Sends "I have arrived"; without network, keeps it to send again (pending-arrival.ts). */
  const sendArrival = useCallback(async () => {
    try {
      setShare(await sharingApi.arrived(id));
    } catch (error) {
      const code = errorCode(error);
      if (code === CLIENT_ERRORS.network) {
        keepArrival(id);
        setArrivalWaits(true);
        return;
      }
      // An earlier attempt got through but its answer was lost, or the session ended meanwhile.
      if (!(code === 'HAVRE_ERR_SHARE_ENDED' && arrivalPending(id))) throw error;
    }
    dropArrival(id);
    setArrivalWaits(false);
    await sharer?.finish();
    await forgetShare(id);
    setEnded('arrived');
  }, [id, sharer]);
  const arrive = () => action.run(sendArrival);

  useEffect(() => {
    if (!arrivalWaits) return;
    const retry = () => void sendArrival().catch(() => {});
    const timer = setInterval(retry, ARRIVAL_RETRY_MS);
    window.addEventListener('online', retry);
    return () => {
      clearInterval(timer);
      window.removeEventListener('online', retry);
    };
  }, [arrivalWaits, sendArrival]);

  useEffect(() => {
    // Back online: the page's state again at once (an error of the offline refresh goes).
    const again = () => void refresh();
    window.addEventListener('online', again);
    return () => window.removeEventListener('online', again);
  }, [refresh]);

  const followedBy = new Set(share?.recipients?.map((r) => r.contactId)).size;
  if (ended) {
    const arrived = followedBy === 0 ? t('screen.arrivedAlone') : t('screen.arrivedDone');
    return (
      <Page title={t('screen.endedTitle')}>
        {/* Focused when shown: the button pressed ("I have arrived") is gone, and this says it worked. */}
        <p className="form-status" role="status" tabIndex={-1} ref={focusOnMount}>
          {ended === 'arrived' ? arrived : t('screen.endedDone')}
        </p>
        <p className="actions">
          <Link className="button primary" to={PATHS.share}>
            {t('screen.again')}
          </Link>
          <Link className="button secondary" to={PATHS.home}>
            {t('screen.home')}
          </Link>
        </p>
      </Page>
    );
  }

  const { due, nextQuestion } = share ? screenTimes(share) : { due: null, nextQuestion: null };
  const isSos = share?.alertReason === 'sos' || Boolean(share?.sos);
  return (
    <Page title={isSos ? t('screen.sosTitle') : t('screen.title')}>
      <FormAlert message={action.error} attempt={action.attempt} />
      {!share ? (
        !action.error && <Loading />
      ) : (
        <>
          {followedBy === 0 ? (
            // Said as a warning: the contacts chosen may all have stopped following since.
            <p className="notice warn">
              {t(share.visibility === 'live' ? 'screen.nobodyLive' : 'screen.nobodyCheckin')}{' '}
              <Link to={PATHS.contacts}>{t('start.inviteLink')}</Link>
              {due && <> {t('screen.due', { time: formatTime(due, lng) })}</>}
            </p>
          ) : (
            <p className="lead">
              {t(share.visibility === 'live' ? 'screen.leadLive' : 'screen.leadCheckin', {
                count: followedBy,
              })}
              {due && <> {t('screen.due', { time: formatTime(due, lng) })}</>}
            </p>
          )}
          {/* Always in the page: after "Je vais bien" the question goes, and this says what comes next. */}
          <div role="status" data-testid="next-question">
            {nextQuestion && !isSos && (
              <p className="aside">{t('screen.nextQuestion', { time: formatTime(nextQuestion, lng) })}</p>
            )}
          </div>
          {withoutDevice > 0 && (
            <p className="notice warn">{t('screen.withoutDevice', { count: withoutDevice })}</p>
          )}
          {isSos && (
            <p className="notice danger" role="alert">
              {t('screen.sosRunning')}{' '}
              <Link reloadDocument to={PATHS.sos}>
                {t('screen.sosManage')}
              </Link>
            </p>
          )}
          <Question
            share={share}
            asked={engine?.question ?? null}
            onAnswer={(view) => {
              sharer?.answered();
              setShare(view);
            }}
          />
          {record === null && <p className="notice warn">{t('screen.noKey')}</p>}
          {engine && <SharerStatus state={engine} />}
          <div role="status">{arrivalWaits && <p className="notice warn">{t('screen.arrivalWaits')}</p>}</div>
          {!isSos && !arrivalWaits && (
            <button
              type="button"
              className="button ok big wide"
              aria-disabled={action.busy || undefined}
              onClick={arrive}
            >
              {t('screen.arrived')}
            </button>
          )}
          <Extend share={share} onChange={setShare} />
          <Link reloadDocument to={PATHS.sos} className="sos-strip">
            {t('share.sos')}
          </Link>
          <GuestLinks share={share} record={record ?? null} onChange={() => void refresh()} />
          <details className="card details">
            <summary>{t('screen.sleepTitle')}</summary>
            <p>{t('screen.sleepBody')}</p>
            <p>{t('screen.sleepServer')}</p>
          </details>
        </>
      )}
    </Page>
  );
}

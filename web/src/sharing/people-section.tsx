/**
 * Who can follow me, and whom I follow. Either side ends a relationship (after a confirmation);
 * the other loses access at once. A phone number can be kept for each person who follows me,
 * on this phone only, for the SOS text message when the server cannot be reached.
 */
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { FormAlert } from '../app/form.tsx';
import { useToggleFocus } from '../app/use-toggle-focus.ts';
import { type Person, type ShareView, sharingApi } from './api.ts';
import { formatDateTime } from './format.ts';
import { useLng, useT } from './i18n.ts';
import { readPhones, writePhones } from './phones.ts';
import { useAction } from './use-action.ts';

function EndButton({
  person,
  kind,
  onEnded,
}: {
  person: Person;
  kind: 'follower' | 'following';
  onEnded: () => void;
}) {
  const t = useT();
  const action = useAction();
  // Focus to the question when it replaces the button, back to the button on "Garder".
  const {
    open: confirming,
    setOpen: setConfirming,
    opener,
    opened,
  } = useToggleFocus<HTMLButtonElement, HTMLParagraphElement>();
  if (!confirming)
    return (
      <button
        ref={opener}
        type="button"
        className="button secondary small"
        onClick={() => setConfirming(true)}
      >
        {kind === 'follower' ? t('people.remove') : t('people.unfollow')}
      </button>
    );
  return (
    <div className="confirm" role="group" aria-label={t('people.confirmLabel', { email: person.email })}>
      <p ref={opened} tabIndex={-1}>
        {kind === 'follower'
          ? t('people.removeConfirm', { email: person.email })
          : t('people.unfollowConfirm', { email: person.email })}
      </p>
      <FormAlert message={action.error} attempt={action.attempt} />
      <div className="actions">
        <button
          type="button"
          className="button danger small"
          aria-disabled={action.busy || undefined}
          onClick={() =>
            action.run(async () => {
              await sharingApi.endRelationship(person.id);
              onEnded();
            })
          }
        >
          {t('people.confirmEnd')}
        </button>
        <button type="button" className="button secondary small" onClick={() => setConfirming(false)}>
          {t('people.keep')}
        </button>
      </div>
    </div>
  );
}

function PhoneField({ userId, person }: { userId: string; person: Person }) {
  const t = useT();
  const [value, setValue] = useState('');
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    void readPhones(userId).then((phones) => setValue(phones[person.id] ?? ''));
  }, [userId, person.id]);
  const id = `phone-${person.id}`;
  return (
    <div className="field phone-field">
      <label htmlFor={id}>{t('people.phone')}</label>
      <p className="field-hint" id={`${id}-hint`}>
        {t('people.phoneHint')}
      </p>
      <input
        id={id}
        type="tel"
        inputMode="tel"
        autoComplete="off"
        aria-describedby={`${id}-hint`}
        value={value}
        onChange={(event) => {
          setValue(event.target.value);
          setSaved(false);
        }}
        onBlur={async () => {
          const phones = await readPhones(userId);
          const clean = value.replace(/[^\d+]/g, '');
          if (clean) phones[person.id] = clean;
          else delete phones[person.id];
          await writePhones(userId, phones);
          setSaved(true);
        }}
      />
      <span role="status" className="aside">
        {saved ? t('people.phoneSaved') : ''}
      </span>
    </div>
  );
}

export function PeopleSection({
  userId,
  followers,
  following,
  withDevice,
  followable,
  onChange,
}: {
  userId: string;
  followers: Person[];
  following: Person[];
  /** Relationship ids of followers with at least one registered device (null: not known). */
  withDevice: Set<string> | null;
  /** Sessions I may follow now. */
  followable: ShareView[];
  onChange: () => void;
}) {
  const t = useT();
  const lng = useLng();
  // Once a person is removed, her row (and the focused button in it) goes: focus to the list's title.
  const followersTitle = useRef<HTMLHeadingElement>(null);
  const followingTitle = useRef<HTMLHeadingElement>(null);
  const ended = (title: React.RefObject<HTMLHeadingElement | null>) => () => {
    title.current?.focus();
    onChange();
  };
  return (
    <>
      <section aria-labelledby="followers-title" className="card">
        <h2 id="followers-title" ref={followersTitle} tabIndex={-1}>
          {t('people.followersTitle')}
        </h2>
        <p className="aside">{t('people.followersHint')}</p>
        {followers.length === 0 ? (
          <p>{t('people.noFollowers')}</p>
        ) : (
          <ul className="people">
            {followers.map((person) => (
              <li key={person.id} className="person">
                <p className="person-name">{person.email}</p>
                <p className="aside">
                  {t('people.since', { date: formatDateTime(person.since, lng) })}
                  {withDevice && !withDevice.has(person.id) && <> · {t('people.noDevice')}</>}
                </p>
                <PhoneField userId={userId} person={person} />
                <EndButton person={person} kind="follower" onEnded={ended(followersTitle)} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="following-title" className="card">
        <h2 id="following-title" ref={followingTitle} tabIndex={-1}>
          {t('people.followingTitle')}
        </h2>
        <p className="aside">{t('people.followingHint')}</p>
        {following.length === 0 ? (
          <p>{t('people.noFollowing')}</p>
        ) : (
          <ul className="people">
            {following.map((person) => {
              const live = followable.filter((s) => s.owner?.email === person.email);
              return (
                <li key={person.id} className="person">
                  <p className="person-name">{person.email}</p>
                  <p className="aside">{t('people.since', { date: formatDateTime(person.since, lng) })}</p>
                  {live.map((s) => (
                    <p key={s.id}>
                      <Link
                        className={`button ${s.status === 'alerted' ? 'danger' : 'primary'} small`}
                        to={`/suivre/${s.id}`}
                      >
                        {s.status === 'alerted' ? t('people.watchAlert') : t('people.watch')}
                      </Link>
                    </p>
                  ))}
                  <EndButton person={person} kind="following" onEnded={ended(followingTitle)} />
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </>
  );
}

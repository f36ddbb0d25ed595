/**
 * My devices: each browser where I use Havre has its own key. Revoking one (a lost phone) stops
 * it from receiving new session keys and removes those it had.
 */
import { useCallback, useEffect, useState } from 'react';
import { FormAlert } from '../app/form.tsx';
import { type Device, sharingApi } from './api.ts';
import { ensureDevice } from './device-keys.ts';
import { formatDateTime } from './format.ts';
import { useLng, useT } from './i18n.ts';
import { useAction } from './use-action.ts';

export function DevicesSection({ userId }: { userId: string }) {
  const t = useT();
  const lng = useLng();
  const action = useAction();
  const [devices, setDevices] = useState<Device[] | null>(null);
  const [current, setCurrent] = useState<string | null>(null);

  const load = useCallback(async () => {
    const device = await ensureDevice(userId, { verify: true });
    setCurrent(device.deviceId);
    setDevices((await sharingApi.devices()).devices);
  }, [userId]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: load once per account
  useEffect(() => {
    void action.run(load);
  }, [load]);

  return (
    <section aria-labelledby="devices-title" className="card">
      <h2 id="devices-title">{t('devices.title')}</h2>
      <p className="aside">{t('devices.body')}</p>
      <FormAlert message={action.error} attempt={action.attempt} />
      {devices && (
        <ul className="people">
          {devices.map((device) => (
            <li key={device.id} className="person">
              <p className="person-name">
                {device.label}
                {device.id === current && <span className="pill ok">{t('devices.this')}</span>}
              </p>
              <p className="aside">
                {t('devices.added', { date: formatDateTime(device.createdAt, lng) })} ·{' '}
                {t('devices.seen', { date: formatDateTime(device.lastSeenAt, lng) })}
              </p>
              <button
                type="button"
                className="button secondary small"
                aria-disabled={action.busy || undefined}
                onClick={() =>
                  action.run(async () => {
                    await sharingApi.revokeDevice(device.id);
                    // This browser gets a new key pair at once: it keeps following new sessions.
                    await load();
                  })
                }
              >
                {t('devices.revoke')}
                {/* Several phones of the same make: each button says which one it removes. */}
                <span className="visually-hidden">
                  {' '}
                  ({device.label}, {t('devices.added', { date: formatDateTime(device.createdAt, lng) })})
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

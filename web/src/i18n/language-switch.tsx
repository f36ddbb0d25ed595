/**
 * The language switch of the header. Written in the language it switches to (with `lang`, so
 * a screen reader pronounces it right). Kept on this device, and on the account when signed in.
 */
import { useTranslation } from 'react-i18next';
import { accountsApi } from '../accounts/api.ts';
import { useSession } from '../accounts/session.tsx';
import { applyLocale, type Locale } from './i18n.ts';
import { markChosenSignedOut } from './locale.ts';

export function LanguageSwitch() {
  const { t } = useTranslation();
  const { me, update } = useSession();
  const target: Locale = t('language.target') === 'en' ? 'en' : 'fr';

  async function switchLanguage() {
    await applyLocale(target);
    if (!me) return markChosenSignedOut();
    try {
      update(await accountsApi.setLocale(target));
    } catch {
      // The switch already applies on this device; the account catches up on the next switch.
    }
  }

  return (
    <button type="button" className="lang-switch" lang={target} onClick={switchLanguage}>
      {t('language.switchTo')}
    </button>
  );
}

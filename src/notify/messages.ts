/** Texts of the e-mails Havre sends, in the recipient's language (French by default). */
export type Locale = 'fr' | 'en';

export const asLocale = (value: string | undefined | null): Locale => (value === 'en' ? 'en' : 'fr');

export function verifyEmailMessage(locale: Locale, link: string) {
  return locale === 'en'
    ? {
        subject: 'Havre: confirm your e-mail address',
        text: `Welcome to Havre.\n\nConfirm your e-mail address by opening this link (valid 48 hours):\n${link}\n\nIf you did not create an account, ignore this message.`,
      }
    : {
        subject: 'Havre : confirmez votre adresse e-mail',
        text: `Bienvenue sur Havre.\n\nConfirmez votre adresse e-mail en ouvrant ce lien (valable 48 heures) :\n${link}\n\nSi vous n'avez pas créé de compte, ignorez ce message.`,
      };
}

export function resetPasswordMessage(locale: Locale, link: string) {
  return locale === 'en'
    ? {
        subject: 'Havre: reset your password',
        text: `Someone asked to reset the password of your Havre account.\n\nChoose a new password with this link (valid 1 hour):\n${link}\n\nIf it was not you, ignore this message: your password does not change.`,
      }
    : {
        subject: 'Havre : réinitialisez votre mot de passe',
        text: `Quelqu'un a demandé à réinitialiser le mot de passe de votre compte Havre.\n\nChoisissez un nouveau mot de passe avec ce lien (valable 1 heure) :\n${link}\n\nSi ce n'était pas vous, ignorez ce message : votre mot de passe ne change pas.`,
      };
}

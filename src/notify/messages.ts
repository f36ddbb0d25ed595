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

/** Verify-first sign-up: the account exists only once this link is opened. */
export function completeSignupMessage(locale: Locale, link: string) {
  return locale === 'en'
    ? {
        subject: 'Havre: finish creating your account',
        text: `Welcome to Havre.\n\nTo create your account, open this link (valid 48 hours):\n${link}\n\nIf you did not ask for an account, ignore this message: nothing is created.`,
      }
    : {
        subject: 'Havre : terminez la création de votre compte',
        text: `Bienvenue sur Havre.\n\nPour créer votre compte, ouvrez ce lien (valable 48 heures) :\n${link}\n\nSi vous n'avez pas demandé de compte, ignorez ce message : rien n'est créé.`,
      };
}

/** Sent instead of the above when the address already has an account (sign-up reveals nothing). */
export function signupAttemptMessage(locale: Locale, links: { login: string; reset: string }) {
  return locale === 'en'
    ? {
        subject: 'Havre: someone tried to sign up with your address',
        text: `Someone tried to create a Havre account with this e-mail address, which already has one.\n\nIf it was you, log in:\n${links.login}\n\nForgot your password? Choose a new one:\n${links.reset}\n\nIf it was not you, ignore this message: your account does not change.`,
      }
    : {
        subject: 'Havre : quelqu’un a essayé de créer un compte avec votre adresse',
        text: `Quelqu'un a essayé de créer un compte Havre avec cette adresse e-mail, qui en a déjà un.\n\nSi c'était vous, connectez-vous :\n${links.login}\n\nMot de passe oublié ? Choisissez-en un nouveau :\n${links.reset}\n\nSi ce n'était pas vous, ignorez ce message : votre compte ne change pas.`,
      };
}

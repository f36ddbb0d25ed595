/**
 * The e-mail "your password was changed", in the account's language. Sent after every change,
 * so that a person whose mailbox was taken over learns it from Havre too, and what to do. It
 * holds no link that changes anything: the pages to ask for a reset link and to see her contacts.
 */
import type { Locale } from '../notify/messages.ts';

export function passwordChangedMessage(locale: Locale, links: { reset: string; contacts: string }) {
  return locale === 'en'
    ? {
        subject: 'Havre: your password was changed',
        text: `The password of your Havre account has just been changed, and every sign-in to it was closed.\n\nIf it was you, there is nothing to do.\n\nIf it was not you, someone may be reading your e-mail: first change the password of your mailbox, then choose a new Havre password here:\n${links.reset}\n\nThen check your trusted contacts and your devices:\n${links.contacts}`,
      }
    : {
        subject: 'Havre : votre mot de passe a été modifié',
        text: `Le mot de passe de votre compte Havre vient d'être modifié, et toutes les connexions à votre compte ont été fermées.\n\nSi c'était vous, vous n'avez rien à faire.\n\nSi ce n'était pas vous, quelqu'un a peut-être accès à vos e-mails : changez d'abord le mot de passe de votre messagerie, puis choisissez un nouveau mot de passe Havre ici :\n${links.reset}\n\nVérifiez ensuite vos proches de confiance et vos appareils :\n${links.contacts}`,
      };
}

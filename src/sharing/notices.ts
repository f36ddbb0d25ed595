/**
 * Texts of the sharing notifications, French first. A notice carries a link and never a
 * position. The e-mail and the push (both end-to-end protected: TLS to the mail server,
 * RFC 8291 encryption to the browser) name the person by e-mail address so the contact
 * knows who it is; the SMS, which a carrier can read, does not name anyone. A French "de"
 * before the name is written `{who, de}` (as in the web app's texts): "SOS d’alice@…".
 * The emergency numbers are those of the whole app (the SOS page, the watch page): 17 for the
 * police, 112 for any emergency, in both languages.
 */
import type { Locale } from '../notify/messages.ts';
import type { Notice } from '../notify/notify-user.ts';
// One elision rule for the app and the e-mails (src/shared: pure, no browser API).
import { deName } from '../shared/elision.ts';

export type SharingNotice =
  | 'question-overdue'
  | 'question-still'
  | 'alert-overdue'
  | 'alert-still'
  | 'alert-sos'
  | 'sos-cancelled'
  | 'resolved'
  | 'arrived'
  | 'started';

const TEXTS: Record<SharingNotice, Record<Locale, { subject: string; text: string; short: string }>> = {
  'question-overdue': {
    fr: {
      subject: 'Havre : êtes-vous bien arrivé·e ?',
      text: "L'heure d'arrivée prévue est passée. Confirmez que tout va bien, sinon vos contacts de confiance seront alertés dans {duration}.",
      short: 'Êtes-vous bien arrivé·e ? Sans réponse, vos contacts seront alertés dans {grace} min.',
    },
    en: {
      subject: 'Havre: did you arrive safely?',
      text: 'Your expected arrival time has passed. Confirm that you are OK, or your trusted contacts will be alerted in {duration}.',
      short: 'Did you arrive safely? Without an answer your contacts are alerted in {grace} min.',
    },
  },
  'question-still': {
    fr: {
      subject: 'Havre : tout va bien ?',
      text: "Vous n'avez pas bougé depuis un moment. Confirmez que tout va bien, sinon vos contacts de confiance seront alertés dans {duration}.",
      short: "Vous n'avez pas bougé depuis un moment : tout va bien ?",
    },
    en: {
      subject: 'Havre: are you OK?',
      text: 'You have not moved for a while. Confirm that you are OK, or your trusted contacts will be alerted in {duration}.',
      short: 'You have not moved for a while: are you OK?',
    },
  },
  'alert-overdue': {
    fr: {
      subject: 'Havre : alerte, {who} ne répond pas',
      text: "{who} vous a choisi·e comme contact de confiance. L'heure d'arrivée prévue est passée et {who} n'a pas répondu. Ouvrez le lien pour voir sa dernière position.",
      short: "Alerte Havre : un de vos proches n'a pas confirmé son arrivée.",
    },
    en: {
      subject: 'Havre: alert, {who} is not answering',
      text: '{who} chose you as a trusted contact. The expected arrival time has passed and {who} has not answered. Open the link to see their last position.',
      short: 'Havre alert: someone close to you has not confirmed their arrival.',
    },
  },
  'alert-still': {
    fr: {
      subject: 'Havre : alerte, {who} ne répond pas',
      text: "{who} vous a choisi·e comme contact de confiance. {who} n'a pas bougé depuis un moment et n'a pas répondu. Ouvrez le lien pour voir sa position.",
      short: 'Alerte Havre : un de vos proches ne bouge plus et ne répond pas.',
    },
    en: {
      subject: 'Havre: alert, {who} is not answering',
      text: '{who} chose you as a trusted contact. {who} has not moved for a while and has not answered. Open the link to see their position.',
      short: 'Havre alert: someone close to you has stopped moving and is not answering.',
    },
  },
  'alert-sos': {
    fr: {
      subject: 'Havre : SOS {who, de}',
      text: '{who} vous a choisi·e comme contact de confiance et vient de déclencher un SOS. Ouvrez le lien pour voir sa position en direct. En cas de danger, appelez le 17 ou le 112.',
      short: "SOS Havre : un de vos proches demande de l'aide. Appelez le 17 ou le 112 en cas de danger.",
    },
    en: {
      subject: 'Havre: SOS from {who}',
      text: '{who} chose you as a trusted contact and has just pressed SOS. Open the link to see their live position. In danger, call 17 or 112.',
      short: 'Havre SOS: someone close to you is asking for help. In danger, call 17 or 112.',
    },
  },
  'sos-cancelled': {
    fr: {
      subject: 'Havre : SOS annulé par {who}',
      text: '{who} a annulé son SOS et confirmé que tout va bien.',
      short: 'Havre : le SOS a été annulé, tout va bien.',
    },
    en: {
      subject: 'Havre: SOS cancelled by {who}',
      text: '{who} cancelled the SOS and confirmed being OK.',
      short: 'Havre: the SOS was cancelled, all is well.',
    },
  },
  resolved: {
    fr: {
      subject: 'Havre : {who} va bien',
      text: '{who} a confirmé que tout va bien.',
      short: 'Havre : votre proche a confirmé que tout va bien.',
    },
    en: {
      subject: 'Havre: {who} is OK',
      text: '{who} confirmed being OK.',
      short: 'Havre: your contact confirmed being OK.',
    },
  },
  arrived: {
    fr: {
      subject: 'Havre : {who} est bien arrivé·e',
      text: '{who} est bien arrivé·e. Le partage est terminé.',
      short: 'Havre : votre proche est bien arrivé·e.',
    },
    en: {
      subject: 'Havre: {who} arrived safely',
      text: '{who} arrived safely. Sharing has ended.',
      short: 'Havre: your contact arrived safely.',
    },
  },
  started: {
    fr: {
      subject: 'Havre : {who} partage un trajet avec vous',
      text: '{who} partage un trajet avec vous.',
      short: 'Havre : un de vos proches partage un trajet avec vous.',
    },
    en: {
      subject: 'Havre: {who} is sharing a trip with you',
      text: '{who} is sharing a trip with you.',
      short: 'Havre: someone close to you is sharing a trip with you.',
    },
  },
};

/**
 * The notice in `locale`; `who` (an e-mail address) goes into the subject and the e-mail/push
 * text only; `graceMinutes` is the time left to answer a question (HAVRE_CHECKIN_GRACE).
 */
export function sharingNotice(kind: SharingNotice, who: string, url: string, tag: string, graceMinutes = 5) {
  return (locale: Locale): Notice => {
    const t = TEXTS[kind][locale];
    const grace = String(graceMinutes);
    const named = (text: string) => text.replaceAll('{who, de}', deName(who)).replaceAll('{who}', who);
    return {
      // Also the title of the push notification (notify-user.ts).
      subject: named(t.subject),
      // "1 minute", "5 minutes": the same word in French and English.
      text: named(t.text).replaceAll('{duration}', graceMinutes === 1 ? '1 minute' : `${grace} minutes`),
      short: t.short.replaceAll('{grace}', grace),
      url,
      tag,
    };
  };
}

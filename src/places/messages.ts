/** E-mails to partner venues, in the recipient's language (French by default). */
import type { Locale } from '../notify/messages.ts';

/** The partner portal (web/src/app/paths.ts, `PATHS.partner`), where every e-mail leads. */
export const partnerPortalLink = (publicUrl: string) => `${publicUrl.replace(/\/$/, '')}/partenaire`;

export function trainingReminderMessage(locale: Locale, venue: string, expiresOn: string, link: string) {
  return locale === 'en'
    ? {
        subject: `Havre: the staff training of ${venue} expires on ${expiresOn}`,
        text: `Hello,\n\nThe safe-place training of your staff at ${venue} is valid until ${expiresOn}. Plan a new session and record it in the partner space to keep the “trained staff” badge:\n${link}\n\nThank you for welcoming people who need a safe place.`,
      }
    : {
        subject: `Havre : la formation du personnel de ${venue} expire le ${expiresOn}`,
        text: `Bonjour,\n\nLa formation « lieu sûr » de votre équipe à ${venue} est valable jusqu’au ${expiresOn}. Prévoyez une nouvelle session et enregistrez-la dans l’espace partenaire pour garder le badge « personnel formé » :\n${link}\n\nMerci d’accueillir les personnes qui ont besoin d’un lieu sûr.`,
      };
}

export type Decision = 'approve' | 'reject' | 'suspend' | 'reinstate';

interface Texts {
  /** Subject after "Havre : ", a whole sentence around the venue's name. */
  subject(venue: string): string;
  body(venue: string): string;
  /** What the partner can do next, before the link to the portal. */
  next: string;
}

// The venue's name is quoted, never made the subject of an agreed word: "Le Noctambule",
// "La Cantine" and "Chez Sam" all read right.
const FR: Record<Decision, Texts> = {
  approve: {
    subject: (v) => `« ${v} » est désormais un lieu sûr`,
    body: (v) =>
      `Votre établissement « ${v} » est vérifié : il apparaît désormais sur la carte des lieux sûrs de Havre.`,
    next: 'Tenez à jour vos horaires, vos fermetures temporaires et la formation de votre équipe dans votre espace partenaire :',
  },
  reject: {
    subject: (v) => `votre candidature pour « ${v} » n’a pas été retenue`,
    body: (v) => `Votre candidature au réseau des lieux sûrs pour « ${v} » n’a pas été retenue.`,
    next: 'Votre demande et ce motif restent consultables dans votre espace partenaire, d’où vous pourrez en déposer une nouvelle si la situation change :',
  },
  suspend: {
    subject: (v) => `« ${v} » n’apparaît plus sur la carte des lieux sûrs`,
    body: (v) =>
      `Votre établissement « ${v} » est suspendu : il n’apparaît plus sur la carte des lieux sûrs pour le moment.`,
    next: 'Pour en parler, contactez la mairie. Votre espace partenaire :',
  },
  reinstate: {
    subject: (v) => `« ${v} » apparaît de nouveau sur la carte des lieux sûrs`,
    body: (v) => `Votre établissement « ${v} » apparaît de nouveau sur la carte des lieux sûrs.`,
    next: 'Votre espace partenaire :',
  },
};

const EN: Record<Decision, Texts> = {
  approve: {
    subject: (v) => `“${v}” is now a safe place`,
    body: (v) => `Your venue “${v}” is verified: it now appears on Havre’s map of safe places.`,
    next: 'Keep your hours, temporary closures and staff training up to date in your partner space:',
  },
  reject: {
    subject: (v) => `your application for “${v}” was not accepted`,
    body: (v) => `Your application to join the safe-places network for “${v}” was not accepted.`,
    next: 'Your application and this reason remain in your partner space, where you can apply again if things change:',
  },
  suspend: {
    subject: (v) => `“${v}” no longer appears on the map of safe places`,
    body: (v) => `Your venue “${v}” is suspended: it no longer appears on the map of safe places for now.`,
    next: 'To talk about it, contact the town hall. Your partner space:',
  },
  reinstate: {
    subject: (v) => `“${v}” is back on the map of safe places`,
    body: (v) => `Your venue “${v}” appears again on the map of safe places.`,
    next: 'Your partner space:',
  },
};

/** The e-mail telling a partner the review's decision, its reason, and where to follow up. */
export function decisionMessage(
  locale: Locale,
  venue: string,
  decision: Decision,
  reason: string | null,
  link: string,
) {
  const en = locale === 'en';
  const texts = (en ? EN : FR)[decision];
  const why = reason ? (en ? `\n\nReason: ${reason}` : `\n\nMotif : ${reason}`) : '';
  const thanks =
    decision === 'approve' || decision === 'reinstate'
      ? en
        ? '\n\nThank you for welcoming people who need a safe place.'
        : '\n\nMerci d’accueillir les personnes qui ont besoin d’un lieu sûr.'
      : '';
  return {
    subject: `${en ? 'Havre:' : 'Havre :'} ${texts.subject(venue)}`,
    text: `${en ? 'Hello,' : 'Bonjour,'}\n\n${texts.body(venue)}${why}\n\n${texts.next}\n${link}${thanks}`,
  };
}

/** E-mails to partner venues, in the recipient's language (French by default). */
import type { Locale } from '../notify/messages.ts';

export function trainingReminderMessage(locale: Locale, venue: string, expiresOn: string, link: string) {
  return locale === 'en'
    ? {
        subject: `Havre: the staff training of ${venue} expires on ${expiresOn}`,
        text: `Hello,\n\nThe safe-place training of your staff at ${venue} is valid until ${expiresOn}. Plan a new session and record it in the partner portal to keep the "trained staff" badge:\n${link}\n\nThank you for welcoming people who need a safe place.`,
      }
    : {
        subject: `Havre : la formation du personnel de ${venue} expire le ${expiresOn}`,
        text: `Bonjour,\n\nLa formation « lieu sûr » de votre équipe à ${venue} est valable jusqu'au ${expiresOn}. Prévoyez une nouvelle session et enregistrez-la dans l'espace partenaire pour garder le badge « personnel formé » :\n${link}\n\nMerci d'accueillir les personnes qui ont besoin d'un lieu sûr.`,
      };
}

export type Decision = 'approve' | 'reject' | 'suspend' | 'reinstate';

export function decisionMessage(locale: Locale, venue: string, decision: Decision, reason: string | null) {
  const why = reason ? (locale === 'en' ? `\n\nReason: ${reason}` : `\n\nMotif : ${reason}`) : '';
  const en: Record<Decision, [string, string]> = {
    approve: [
      'is now a Havre safe place',
      'Your venue is verified and now appears on the map of safe places.',
    ],
    reject: ['application declined', 'Your application to join the safe-places network was not accepted.'],
    suspend: ['suspended from the map', 'Your venue no longer appears on the map of safe places for now.'],
    reinstate: ['back on the map', 'Your venue appears again on the map of safe places.'],
  };
  const fr: Record<Decision, [string, string]> = {
    approve: [
      'est désormais un lieu sûr Havre',
      'Votre établissement est vérifié et apparaît sur la carte des lieux sûrs.',
    ],
    reject: ['candidature non retenue', "Votre candidature au réseau des lieux sûrs n'a pas été retenue."],
    suspend: [
      'suspendu de la carte',
      "Votre établissement n'apparaît plus sur la carte des lieux sûrs pour le moment.",
    ],
    reinstate: [
      'de retour sur la carte',
      'Votre établissement apparaît de nouveau sur la carte des lieux sûrs.',
    ],
  };
  const [title, body] = (locale === 'en' ? en : fr)[decision];
  const prefix = locale === 'en' ? 'Havre:' : 'Havre :';
  return { subject: `${prefix} ${venue} — ${title}`, text: `${body}${why}` };
}

/**
 * French, the default language of Havre. Every key here must exist in en.ts (the type
 * `Messages` makes the compiler check it). Error messages are keyed by the API's stable code.
 */
const fr = {
  app: {
    name: 'Havre',
    skipLink: 'Aller au contenu',
    mainNav: 'Navigation principale',
    homeLink: 'Havre, accueil',
    account: 'Mon compte',
    signIn: 'Se connecter',
    loading: 'Chargement…',
    footer: 'Havre est un logiciel libre (AGPL-3.0).',
    footerPrivacy: 'Les signalements sont anonymes ; une position partagée est chiffrée sur votre téléphone.',
    emergency: 'En danger immédiat :',
    call17: 'Appeler le 17',
    sms114: 'SMS au 114',
    crashed: 'Cette page a rencontré un problème.',
    reload: 'Recharger la page',
    comingSoon: 'Bientôt disponible',
    backHome: 'Revenir à l’accueil',
  },
  language: {
    // The switch is written in the language it switches to.
    switchTo: 'English',
    switchLabel: 'Switch to English',
    target: 'en',
  },
  home: {
    title: 'Accueil',
    sos: 'SOS',
    sosHint: 'Alerter mes proches maintenant',
    everyday: 'Au quotidien',
    share: 'Partager un trajet',
    shareHint: 'Vos proches suivent votre retour en direct',
    report: 'Signaler',
    reportHint: 'Un harcèlement ou un sentiment d’insécurité, anonymement',
    places: 'Lieux sûrs',
    placesHint: 'Trouver un lieu sûr ouvert près de vous',
    spaces: 'Mes espaces',
    dashboard: 'Tableau de bord',
    dashboardHint: 'Signalements anonymisés et lieux de votre territoire',
    partner: 'Espace partenaire',
    partnerHint: 'Horaires et disponibilité de votre établissement',
    admin: 'Administration',
    adminHint: 'Territoires, comptes et vérifications',
    joinTitle: 'Prévenir vos proches',
    joinBody: 'Avec un compte, vos proches de confiance peuvent suivre votre trajet et recevoir vos alertes.',
    joinSignup: 'Créer un compte',
    joinLogin: 'Se connecter',
  },
  fields: {
    email: 'Adresse e-mail',
    password: 'Mot de passe',
    showPassword: 'Afficher le mot de passe',
    passwordHint:
      'Au moins {{min}} caractères. Une courte phrase est facile à retenir et difficile à deviner.',
  },
  validation: {
    emailRequired: 'Indiquez votre adresse e-mail.',
    emailInvalid: 'Cette adresse e-mail ne semble pas valide (exemple : nom@exemple.fr).',
    passwordRequired: 'Indiquez votre mot de passe.',
    passwordTooShort: 'Le mot de passe doit contenir au moins {{min}} caractères.',
    passwordTooLong: 'Le mot de passe doit contenir au plus {{max}} caractères.',
    passwordMismatch: 'Les deux mots de passe sont différents.',
  },
  signup: {
    title: 'Créer un compte',
    intro:
      'Un compte sert à prévenir vos proches et à partager vos trajets. Vos signalements restent anonymes.',
    submit: 'Créer mon compte',
    busy: 'Création du compte…',
    haveAccount: 'Déjà un compte ?',
    created: 'Compte créé. Bienvenue sur Havre !',
    checkTitle: 'Regardez vos e-mails',
    checkSent: 'Nous avons envoyé un e-mail à {{email}}.',
    checkNext:
      'Ouvrez le lien qu’il contient pour terminer la création de votre compte (valable 48 heures). Pensez à regarder dans les indésirables.',
    checkAgain: 'Pas reçu ? Vérifiez l’adresse et recommencez',
    completeTitle: 'Création du compte',
    completing: 'Création de votre compte…',
    completeMissing: 'Ce lien est incomplet. Ouvrez le lien reçu par e-mail, ou recommencez l’inscription.',
    restart: 'Recommencer l’inscription',
  },
  login: {
    title: 'Se connecter',
    submit: 'Se connecter',
    busy: 'Connexion…',
    forgot: 'Mot de passe oublié ?',
    noAccount: 'Pas encore de compte ?',
    signedIn: 'Connexion réussie.',
  },
  account: {
    title: 'Mon compte',
    profile: 'Mon profil',
    verified: 'Adresse confirmée',
    unverified: 'Adresse non confirmée',
    resend: 'Renvoyer l’e-mail de confirmation',
    resent: 'E-mail envoyé. Pensez à regarder dans les indésirables.',
    access: 'Mes accès',
    territories: 'Territoires : {{list}}',
    logout: 'Se déconnecter',
    loggedOut: 'Déconnexion effectuée.',
    dataTitle: 'Mes données',
    dataBody: 'Téléchargez tout ce que Havre conserve sur vous, dans un fichier JSON lisible.',
    download: 'Télécharger mes données',
    downloading: 'Préparation du fichier…',
    downloaded: 'Fichier téléchargé : {{file}}.',
    deleteTitle: 'Supprimer mon compte',
    deleteBody:
      'La suppression est immédiate et définitive. Sont effacés : votre compte et votre adresse e-mail, vos connexions sur tous vos appareils, vos préférences et toutes les données personnelles liées à votre compte (proches de confiance, trajets partagés, appareils).',
    deleteKept:
      'Vos signalements ne sont liés à aucun compte : ils restent, anonymes, dans les statistiques de votre ville.',
    deletePassword: 'Confirmez avec votre mot de passe',
    deleteSubmit: 'Supprimer définitivement mon compte',
    deleting: 'Suppression…',
    deleted: 'Votre compte et vos données personnelles ont été supprimés.',
  },
  roles: {
    citizen: 'Compte personnel',
    partner: 'Établissement partenaire',
    staff: 'Équipe municipale',
    admin: 'Administration',
  },
  verify: {
    title: 'Confirmer mon adresse',
    working: 'Confirmation en cours…',
    done: 'Adresse e-mail confirmée. Merci !',
    missing:
      'Ce lien est incomplet. Ouvrez le lien reçu par e-mail, ou demandez un nouvel e-mail depuis votre compte.',
  },
  forgot: {
    title: 'Mot de passe oublié',
    intro:
      'Indiquez votre adresse : si un compte l’utilise, vous recevrez un lien pour choisir un nouveau mot de passe (valable une heure).',
    submit: 'Recevoir le lien',
    busy: 'Envoi…',
    sent: 'Si un compte utilise cette adresse, un e-mail vient de lui être envoyé.',
  },
  newPassword: {
    title: 'Nouveau mot de passe',
    password: 'Nouveau mot de passe',
    confirm: 'Confirmez le nouveau mot de passe',
    submit: 'Enregistrer',
    busy: 'Enregistrement…',
    done: 'Mot de passe modifié. Par sécurité, toutes vos connexions ont été fermées : connectez-vous avec le nouveau.',
    missing: 'Ce lien est incomplet. Demandez un nouveau lien.',
    requestNew: 'Demander un nouveau lien',
  },
  guard: {
    signInTitle: 'Connexion nécessaire',
    signInBody: 'Connectez-vous pour accéder à cette page.',
    reservedTitle: 'Accès réservé',
    dashboard: 'Cette page est réservée aux équipes municipales et à l’administration de Havre.',
    partner: 'Cette page est réservée aux établissements partenaires du réseau des lieux sûrs.',
    admin: 'Cette page est réservée à l’administration de Havre.',
    askAdmin: 'Si vous pensez devoir y accéder, contactez l’administrateur de votre instance Havre.',
  },
  notFound: {
    title: 'Page introuvable',
    body: 'Cette adresse ne correspond à aucune page de Havre.',
  },
  capability: {
    sos: 'Un appui ici préviendra vos proches de confiance et leur enverra votre position, chiffrée, avec les lieux sûrs les plus proches de vous.',
    sosMeanwhile: 'En attendant, en cas de danger, appelez le 17 ou envoyez un SMS au 114 :',
    share:
      'Ici, vous partagerez un trajet en direct avec vos proches, ou programmerez une vérification d’arrivée : « préviens-les si je ne suis pas à la maison à 23 h 40 ».',
    report:
      'Ici, vous signalerez un harcèlement ou un sentiment d’insécurité, anonymement : votre position exacte n’est jamais conservée.',
    places:
      'Ici, vous trouverez le lieu sûr ouvert le plus proche : établissements partenaires, commissariats et gendarmeries.',
    dashboard:
      'Ici, votre équipe verra la carte anonymisée des signalements de son territoire, les tendances, et les établissements partenaires à valider.',
    dashboardTerritories: 'Vos territoires : {{list}}',
    partner:
      'Ici, vous tiendrez à jour les horaires et la disponibilité de votre établissement, et la formation de votre équipe.',
    admin:
      'Ici, vous gérerez les territoires, les comptes des équipes municipales, la vérification des lieux et la modération.',
  },
  errors: {
    HAVRE_ERR_INVALID_CREDENTIALS: 'Adresse e-mail ou mot de passe incorrect.',
    HAVRE_ERR_LOGIN_THROTTLED: 'Trop de tentatives de connexion. Réessayez dans quelques minutes.',
    HAVRE_ERR_TOO_MANY_REQUESTS: 'Trop de demandes en peu de temps. Réessayez dans une minute.',
    HAVRE_ERR_PUSH_ENDPOINT_REFUSED:
      'Ce navigateur propose un service de notification non accepté par le serveur.',
    HAVRE_ERR_STORAGE_FULL: 'Le serveur manque de place : rien n’a été enregistré. Réessayez plus tard.',
    HAVRE_ERR_TOKEN_INVALID: 'Ce lien est invalide ou a expiré. Demandez-en un nouveau.',
    HAVRE_ERR_UNAUTHENTICATED: 'Votre session a expiré. Connectez-vous à nouveau.',
    HAVRE_ERR_FORBIDDEN: 'Vous n’avez pas accès à cette action.',
    HAVRE_ERR_CSRF: 'Demande refusée par sécurité. Rechargez la page et réessayez.',
    HAVRE_ERR_VALIDATION: 'Certaines informations ne sont pas valides. Vérifiez le formulaire.',
    HAVRE_ERR_PAYLOAD_TOO_LARGE: 'Ce contenu est trop long.',
    HAVRE_ERR_NETWORK: 'Pas de connexion au serveur. Vérifiez votre réseau et réessayez.',
    HAVRE_ERR_UNAVAILABLE: 'Le service est momentanément indisponible. Réessayez dans un instant.',
    HAVRE_ERR_INTERNAL: 'Une erreur est survenue de notre côté. Réessayez dans un instant.',
    generic: 'Une erreur inattendue est survenue. Réessayez.',
  },
};

export type Messages = typeof fr;
export default fr;

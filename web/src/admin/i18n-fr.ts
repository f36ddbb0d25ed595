/** Texts of the admin console (namespace `admin`), French first. */
const fr = {
  intro:
    'Les territoires que Havre sert, l’accès des équipes municipales, et les vérifications qui attendent une décision.',
  territories: {
    title: 'Territoires',
    count_one: '{{count}} territoire',
    count_other: '{{count}} territoires',
    none: 'Aucun territoire pour l’instant : importez-en un ci-dessous.',
    kind: { commune: 'commune', arrondissement: 'arrondissement' },
    dashboard: 'Tableau de bord',
    delete: 'Supprimer',
    confirmDelete: 'Supprimer {{name}} ({{code}}) et l’accès de ses équipes ?',
    confirm: 'Confirmer la suppression',
    cancel: 'Annuler',
    deleted: '{{name}} a été supprimé.',
    importTitle: 'Importer des territoires',
    importHint:
      'Un fichier GeoJSON (Feature ou FeatureCollection) : pour chaque territoire, le code INSEE et le nom dans les propriétés, le contour en Polygon ou MultiPolygon. Un territoire qui existe déjà est remplacé.',
    file: 'Fichier GeoJSON',
    import: 'Importer',
    importing: 'Import…',
    noFile: 'Choisissez un fichier GeoJSON.',
    notJson: 'Ce fichier n’est pas du JSON.',
    imported: 'Importé : {{created}} créé(s), {{updated}} mis à jour ({{codes}}).',
    placesMoved_one:
      '1 lieu a changé de territoire (par exemple un établissement en attente d’un territoire : il est maintenant dans sa file de validation).',
    placesMoved_other:
      '{{count}} lieux ont changé de territoire (par exemple des établissements en attente d’un territoire : ils sont maintenant dans sa file de validation).',
  },
  staff: {
    title: 'Accès des équipes municipales',
    hint: 'Le compte doit déjà exister. L’accès vaut pour le tableau de bord du territoire et la vérification de ses lieux.',
    email: 'Adresse e-mail du compte',
    territory: 'Territoire',
    grant: 'Donner l’accès',
    revoke: 'Retirer l’accès',
    busy: 'Envoi…',
    granted: '{{email}} a maintenant accès à {{name}}.',
    revoked: '{{email}} n’a plus accès à {{name}}.',
    noTerritory: 'Importez d’abord un territoire.',
    current: 'Accès à {{name}}',
    nobody: 'Aucun compte n’a accès à ce territoire.',
    revokeOne: 'Retirer l’accès de {{email}}',
  },
  checks: {
    title: 'Vérifications',
    moderation: 'Signalements retenus',
    moderationHint: 'Des signalements nombreux au même endroit et à la même heure attendent une décision.',
    places: 'Lieux partenaires à vérifier',
    placesHint: 'Les demandes des établissements, par territoire.',
  },
  detail: 'détail\u00a0:',
  errors: {
    HAVRE_ERR_INVALID_GEOJSON:
      'Ce fichier n’est pas un GeoJSON de territoires valide : il faut un code INSEE, un nom et un contour pour chacun.',
    HAVRE_ERR_NOT_FOUND: 'Aucun compte avec cette adresse e-mail, ou territoire inconnu.',
  },
};

export default fr;

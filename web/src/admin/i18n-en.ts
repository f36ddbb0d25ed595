import type fr from './i18n-fr.ts';

const en: typeof fr = {
  intro: 'The territories Havre serves, municipal teams’ access, and the checks waiting for a decision.',
  territories: {
    title: 'Territories',
    count_one: '{{count}} territory',
    count_other: '{{count}} territories',
    none: 'No territory yet: import one below.',
    kind: { commune: 'municipality', arrondissement: 'arrondissement' },
    dashboard: 'Dashboard',
    delete: 'Delete',
    confirmDelete: 'Delete {{name}} ({{code}}) and its teams’ access?',
    confirm: 'Confirm deletion',
    cancel: 'Cancel',
    deleted: '{{name}} was deleted.',
    importTitle: 'Import territories',
    importHint:
      'A GeoJSON file (Feature or FeatureCollection): for each territory, the INSEE code and the name in its properties, the boundary as a Polygon or MultiPolygon. A territory that already exists is replaced.',
    file: 'GeoJSON file',
    import: 'Import',
    importing: 'Importing…',
    noFile: 'Choose a GeoJSON file.',
    notJson: 'This file is not JSON.',
    imported: 'Imported: {{created}} created, {{updated}} updated ({{codes}}).',
    placesMoved_one:
      '1 place changed territory (for example a venue waiting for a territory: it is now in that territory’s review queue).',
    placesMoved_other:
      '{{count}} places changed territory (for example venues waiting for a territory: they are now in that territory’s review queue).',
  },
  staff: {
    title: 'Municipal teams’ access',
    hint: 'The account must already exist. Access covers the territory’s dashboard and the review of its places.',
    email: 'E-mail address of the account',
    territory: 'Territory',
    grant: 'Grant access',
    revoke: 'Revoke access',
    busy: 'Sending…',
    granted: '{{email}} now has access to {{name}}.',
    revoked: '{{email}} no longer has access to {{name}}.',
    noTerritory: 'Import a territory first.',
    current: 'Access to {{name}}',
    nobody: 'No account has access to this territory.',
    revokeOne: 'Revoke the access of {{email}}',
  },
  checks: {
    title: 'Checks',
    moderation: 'Held reports',
    moderationHint: 'Many reports in the same place and hour are waiting for a decision.',
    places: 'Partner places to review',
    placesHint: 'Applications from venues, by territory.',
  },
  detail: 'detail:',
  errors: {
    HAVRE_ERR_INVALID_GEOJSON:
      'This file is not a valid territories GeoJSON: each needs an INSEE code, a name and a boundary.',
    HAVRE_ERR_NOT_FOUND: 'No account with this e-mail address, or unknown territory.',
  },
};

export default en;

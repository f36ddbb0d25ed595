/**
 * A consented description as staff read it: where the server removed an e-mail address, a
 * number or a link (scrub.ts stores a marker in no language), the words of this screen's
 * language — "[numéro retiré]", "[phone removed]". Older French markers read the same.
 */
import { Fragment } from 'react';
import { scrubbedParts } from '../../../src/reports/scrub.ts';
import { useDashboardT } from './i18n.ts';

export function ScrubbedText({ text }: { text: string }) {
  const { t } = useDashboardT();
  return scrubbedParts(text).map((part, index) => (
    // The parts of one text never move: their position is their identity.
    // biome-ignore lint/suspicious/noArrayIndexKey: see above
    <Fragment key={index}>
      {typeof part === 'string' ? (
        part
      ) : (
        <span className="scrubbed">{t(`descriptions.removed.${part.removed}`)}</span>
      )}
    </Fragment>
  ));
}

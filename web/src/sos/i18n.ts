/** The `sos` namespace for the React part of the SOS screen (the strings: strings.ts). */
import { namespace } from '../sharing/translate.ts';
import { en, fr } from './strings.ts';

export const { useT: useSosT } = namespace('sos', fr, en);

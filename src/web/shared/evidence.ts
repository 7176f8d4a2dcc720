/**
 * A flag's evidence in the reader's language, for the apps. The wording lives in the domain
 * (domain/shared/evidence-words.ts), free of the DOM, so the LA/FT report's CSV words evidence as
 * the screens do; the apps import it from here, as they always have.
 */
export {
  evidenceKeys,
  evidenceLabel,
  evidenceLines,
  evidenceSentence,
  isHiddenEvidenceKey,
  latLon,
} from '../../domain/shared/evidence-words.js';

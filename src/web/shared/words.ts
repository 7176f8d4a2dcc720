/**
 * What the API's codes mean in plain words, in both languages: every closed list of the
 * vocabulary (rule codes, severities, statuses, forms, inputs, units, kinds…). The dictionaries
 * live in domain/shared/words.ts, typed by the vocabulary, so the server's pages and reports
 * (the public /v/ page, the AML CSV) say the same words as the apps. Every app shows these
 * instead of the codes (the code stays in a tooltip for people who look it up in the rules'
 * documentation).
 */
export * from '../../domain/shared/words.js';

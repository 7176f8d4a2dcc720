import type { FlagStatus } from '../shared/vocabulary.js';

/**
 * A flag still weighs on its subject while it is open or escalated: an escalation hands the case
 * to another authority (prosecutor, financial intelligence unit) because it is MORE serious, so
 * it must keep the lot held at checkpoints and its risk level up. Acknowledged and dismissed
 * flags have been dealt with. DESIGN says "open flags"; we read it as "unresolved".
 */
export const isUnresolved = (status: FlagStatus): boolean => status === 'open' || status === 'escalated';

/** The lots an operation produced, and the flags they carry. */
import type { Lot } from '../../shared/api-types.js';
import { useT } from '../../shared/i18n.js';
import { ScrollArea } from '../../shared/table.js';
import { dict } from '../i18n.js';
import { LotTable } from '../lot-table.js';

export interface OpOutcome {
  title: string;
  lots: Lot[];
}

export function OpResult(props: OpOutcome & { me: string }) {
  const t = useT(dict);
  const flagged = props.lots.some((l) => l.flags.length > 0);
  return (
    <div class="notice" role="status">
      <h3>{props.title}</h3>
      {flagged && <p class="warning">{t('resultFlagged')}</p>}
      <ScrollArea label={props.title}>
        <LotTable
          lots={props.lots}
          readable={(l) => l.custodianId === props.me || l.producerId === props.me}
        />
      </ScrollArea>
    </div>
  );
}

/** What every operation on one lot is handed. */
export interface OpProps {
  ctx: import('../../shared/shell.js').AppContext;
  lot: Lot;
  done(result: OpOutcome): void;
  cancel(): void;
}

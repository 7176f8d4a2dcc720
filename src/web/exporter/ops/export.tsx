/** Exporting a lot: the customs declaration, the country of destination and the date. */
import { useState } from 'preact/hooks';
import { answer } from '../../shared/api.js';
import { Field } from '../../shared/field.js';
import { useT } from '../../shared/i18n.js';
import { useUnits } from '../amounts.js';
import { dict } from '../i18n.js';
import type { OpProps } from './result.js';
import { OpSteps } from './steps.js';

const countries = ['CH', 'AE', 'IN', 'US', 'CA', 'GB', 'IT', 'BE', 'DE', 'HK', 'CN'];

export function ExportPanel({ ctx, lot, done, cancel }: OpProps) {
  const t = useT(dict);
  const { g } = useUnits();
  const [declaration, setDeclaration] = useState('');
  const [country, setCountry] = useState('');
  const [date, setDate] = useState(new Date().toISOString().slice(0, 10));
  const cc = country.trim().toUpperCase();
  const ok = declaration.trim().length > 0 && /^[A-Z]{2}$/.test(cc) && /^\d{4}-\d{2}-\d{2}$/.test(date);
  return (
    <OpSteps
      title={t('exportTitle', { code: lot.code })}
      canReview={ok}
      confirmLabel={t('confirmExport')}
      anywayLabel={t('exportAnyway')}
      permanent={t('permanentExport')}
      cancel={cancel}
      write={
        ok
          ? (query) =>
              answer(
                ctx.api.POST('/v1/lots/{id}/export', {
                  params: { path: { id: lot.id }, query },
                  body: { customsDeclaration: declaration.trim(), destinationCountry: cc, exportedOn: date },
                }),
              )
          : null
      }
      fieldNames={{
        customsDeclaration: t('customsDeclaration'),
        destinationCountry: t('destinationCountry'),
        exportedOn: t('exportedOn'),
      }}
      edit={
        <>
          <Field
            id="x-dec"
            label={t('customsDeclaration')}
            value={declaration}
            set={setDeclaration}
            type="text"
            maxLength={100}
          />
          <div>
            <label for="x-country">{t('destinationCountry')}</label>
            <input
              id="x-country"
              list="x-countries"
              maxLength={2}
              autoComplete="off"
              aria-describedby="x-country-hint"
              value={country}
              onInput={(e) => setCountry((e.currentTarget as HTMLInputElement).value)}
            />
            <datalist id="x-countries">
              {countries.map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
            <p class="hint" id="x-country-hint">
              {t('countryHelp')}
            </p>
          </div>
          <Field id="x-date" label={t('exportedOn')} value={date} set={setDate} type="date" />
        </>
      }
      review={
        <dl class="facts">
          <dt>{t('lot')}</dt>
          <dd>
            {lot.code} · {g(lot.grossWeightG)} · {t('fine')} {g(lot.fineWeightG)}
          </dd>
          <dt>{t('customsDeclaration')}</dt>
          <dd>{declaration.trim()}</dd>
          <dt>{t('destinationCountry')}</dt>
          <dd>{cc}</dd>
          <dt>{t('exportedOn')}</dt>
          <dd>{date}</dd>
        </dl>
      }
      done={(res) => {
        done({ title: t('exportDone', { code: res.code }), lots: [res] });
      }}
    />
  );
}

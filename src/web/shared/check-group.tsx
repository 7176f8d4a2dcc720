/** A group of checkboxes under one legend (`fieldset`), each a label around its box: switches of a screen. */

export interface Check {
  key: string;
  label: string;
  checked: boolean;
  set(checked: boolean): void;
}

export function CheckGroup(props: { legend: string; checks: Check[] }) {
  return (
    <fieldset>
      <legend>{props.legend}</legend>
      {props.checks.map((c) => (
        <label class="check" key={c.key}>
          <input
            type="checkbox"
            checked={c.checked}
            onChange={(e) => c.set((e.currentTarget as HTMLInputElement).checked)}
          />{' '}
          {c.label}
        </label>
      ))}
    </fieldset>
  );
}

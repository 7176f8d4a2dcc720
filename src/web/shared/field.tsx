/**
 * A labelled text field: the label bound to its input by id, an optional hint read with it
 * (aria-describedby), and the decimal keyboard on phones for numbers, which may be typed with a
 * decimal comma or point (numbers.ts typedDecimal reads both).
 */
export function Field(props: {
  id: string;
  label: string;
  value: string;
  set(v: string): void;
  hint?: string;
  /** 'decimal' (default): a number; otherwise the input's type ('text', 'date', 'search'). */
  type?: string;
  maxLength?: number;
  max?: string;
}) {
  const decimal = (props.type ?? 'decimal') === 'decimal';
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  return (
    <div>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type={decimal ? 'text' : props.type}
        inputMode={decimal ? 'decimal' : undefined}
        autoComplete="off"
        aria-describedby={hintId}
        maxLength={props.maxLength}
        max={props.max}
        value={props.value}
        onInput={(e) => props.set((e.currentTarget as HTMLInputElement).value)}
      />
      {props.hint && (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      )}
    </div>
  );
}

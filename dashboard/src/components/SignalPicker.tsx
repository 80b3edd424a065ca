import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { SignalInfo } from '../api/types';
import { labelOf, MAX_SELECTED } from '../data/signals';

export interface SignalPickerProps {
  /** test id prefix: `<id>-toggle`, `<id>-panel`, `<id>-search`, `<id>-option-<Name>`, `<id>-reset` */
  id: string;
  /** the button's text, e.g. "Signals" */
  label: string;
  /** what the panel is for, read by screen readers and shown as its heading */
  title: string;
  /** the signals offered, in catalogue order */
  signals: readonly SignalInfo[];
  /** names of the signals that have data (listed first; others only while "all" is ticked) */
  withData?: ReadonlySet<string>;
  selected: readonly string[];
  onChange(names: string[]): void;
  defaults: readonly string[];
}

function typeText(s: SignalInfo): string {
  if ((s.type === 'float' || s.type === 'integer') && s.unit) return `${s.type}, ${s.unit}`;
  if (s.type === 'enum' && s.values) return `enum: ${s.values.map((v) => v.name).slice(0, 6).join(' ')}${s.values.length > 6 ? ' …' : ''}`;
  return s.type;
}

/**
 * A small disclosure: a button that opens a panel with a search box (name, alias or unit) and one
 * checkbox per signal. Signals with data come first; the others are listed only when "show all" is
 * ticked (or when nothing has data yet). At most MAX_SELECTED can be chosen. Escape closes it.
 */
export function SignalPicker(p: SignalPickerProps) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [all, setAll] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const search = useRef<HTMLInputElement>(null);
  const panelId = useId();

  useEffect(() => {
    if (!open) return undefined;
    search.current?.focus();
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const options = useMemo(() => {
    const q = query.trim().toLowerCase();
    const noData = !p.withData || p.withData.size === 0;
    const match = (s: SignalInfo) =>
      !q || s.name.toLowerCase().includes(q) || labelOf(s.name).toLowerCase().includes(q) || (s.aliases ?? []).some((a) => a.toLowerCase().includes(q)) || (s.unit ?? '').toLowerCase() === q;
    const has = (s: SignalInfo) => noData || !!p.withData?.has(s.name);
    return p.signals.filter((s) => match(s) && (all || has(s) || p.selected.includes(s.name))).sort((a, b) => Number(has(b)) - Number(has(a)));
  }, [p.signals, p.withData, p.selected, query, all]);

  const toggle = (name: string, on: boolean) => {
    if (on && !p.selected.includes(name)) {
      if (p.selected.length >= MAX_SELECTED) return;
      p.onChange([...p.selected, name]);
    } else if (!on) {
      p.onChange(p.selected.filter((n) => n !== name));
    }
  };

  return (
    <div className="picker" ref={root} onClick={(e) => e.stopPropagation()} onKeyDown={(e) => {
      e.stopPropagation();
      if (e.key === 'Escape') setOpen(false);
    }}>
      <button className="btn btn-small" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen(!open)} data-testid={`${p.id}-toggle`}>
        <span aria-hidden="true">⚙ </span>
        {p.label} ({p.selected.length})
      </button>
      {open && (
        <div className="picker-panel" id={panelId} role="group" aria-label={p.title} data-testid={`${p.id}-panel`}>
          <div className="picker-head">
            <strong>{p.title}</strong>
            <span className="muted small">
              {p.selected.length}/{MAX_SELECTED}
            </span>
          </div>
          <input
            ref={search}
            type="search"
            className="picker-search"
            placeholder="search signals…"
            aria-label="search signals"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            data-testid={`${p.id}-search`}
          />
          <ul className="picker-list">
            {options.map((s) => {
              const on = p.selected.includes(s.name);
              const hasData = !p.withData || p.withData.has(s.name);
              return (
                <li key={s.name}>
                  <label className={hasData ? '' : 'muted'}>
                    <input
                      type="checkbox"
                      checked={on}
                      disabled={!on && p.selected.length >= MAX_SELECTED}
                      onChange={(e) => toggle(s.name, e.target.checked)}
                      data-testid={`${p.id}-option-${s.name}`}
                    />
                    <span className="picker-name">{s.name}</span>
                    <span className="picker-type muted small">{typeText(s)}</span>
                  </label>
                </li>
              );
            })}
            {options.length === 0 && <li className="muted small">no signal matches “{query}”</li>}
          </ul>
          <div className="picker-foot">
            <label className="small">
              <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> show signals without data
            </label>
            <button className="link-button" onClick={() => p.onChange([...p.defaults])} data-testid={`${p.id}-reset`}>
              defaults
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

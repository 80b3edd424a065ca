import { useEffect, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import type { VehicleState } from '../api/types';
import { formatClock } from '../data/format';
import type { LogLine } from '../live/fleetStore';
import { MAX_LOG_LINES } from '../live/fleetStore';
import type { Demo } from '../live/useDemo';

interface Line {
  key: string;
  t: number;
  level: string;
  message: string;
}

const HELP = [
  'Enter on an empty line   disconnect / reconnect this terminal',
  'play | stop              start / stop the demo fleet',
  'dz <name|vin> on|off     cut or restore one vehicle\'s link',
  'clear                    clear the screen',
];

/**
 * The fleet terminal: demo play/stop, and the live `log` stream (the last MAX_LOG_LINES lines).
 * Pressing Enter on an empty input disconnects the view: no more lines are shown until Enter is
 * pressed again (or the reconnect button); lines logged meanwhile are skipped, not queued.
 */
export function Terminal({ logs, demo, vehicles }: { logs: LogLine[]; demo: Demo; vehicles: VehicleState[] }) {
  const [connected, setConnected] = useState(true);
  const [lines, setLines] = useState<Line[]>([]);
  const [input, setInput] = useState('');
  const seen = useRef(0);
  const sysId = useRef(0);
  const screen = useRef<HTMLDivElement>(null);
  const stick = useRef(true);

  const push = (add: Line[]) => setLines((cur) => (cur.length + add.length > MAX_LOG_LINES ? cur.concat(add).slice(-MAX_LOG_LINES) : cur.concat(add)));
  const sys = (message: string, level = 'SYS') => push([{ key: `s${++sysId.current}`, t: Date.now(), level, message }]);

  useEffect(() => {
    const fresh = logs.filter((l) => l.id > seen.current);
    if (fresh.length === 0) return;
    seen.current = fresh[fresh.length - 1].id;
    if (connected) push(fresh.map((l) => ({ key: `l${l.id}`, t: l.t, level: l.level, message: l.message })));
  }, [logs, connected]);

  useLayoutEffect(() => {
    const el = screen.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [lines, connected]);

  const toggleConnection = () => {
    seen.current = logs.length ? logs[logs.length - 1].id : seen.current; // skip what was logged meanwhile
    if (connected) sys('terminal disconnected');
    else sys('terminal reconnected');
    setConnected(!connected);
  };

  const run = (cmd: string) => {
    const [verb, ...args] = cmd.trim().split(/\s+/);
    sys(`> ${cmd.trim()}`, 'CMD');
    const needDemo = () => {
      if (demo.available) return true;
      sys('demo control is not available on this server', 'WARN');
      return false;
    };
    switch (verb.toLowerCase()) {
      case 'help':
        HELP.forEach((h) => sys(h));
        break;
      case 'clear':
        setLines([]);
        break;
      case 'play':
      case 'start':
        if (needDemo()) void demo.play();
        break;
      case 'stop':
        if (needDemo()) void demo.stop();
        break;
      case 'dz':
      case 'deadzone': {
        if (!needDemo()) break;
        const who = (args[0] ?? '').toLowerCase();
        const v = vehicles.find((x) => x.vin.toLowerCase() === who || x.name.toLowerCase().replace(/\s+/g, '') === who.replace(/\s+/g, '') || x.name.toLowerCase().endsWith(`#${who}`));
        const on = (args[1] ?? 'on').toLowerCase() !== 'off';
        if (!v) sys(`no vehicle '${args[0] ?? ''}' (use a VIN, a name or the number after #)`, 'WARN');
        else void demo.deadZone(v.vin, on);
        break;
      }
      default:
        sys(`unknown command '${verb}', try help`, 'WARN');
    }
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (input.trim() === '') toggleConnection();
    else if (connected) run(input);
    setInput('');
  };

  const running = demo.state?.running;
  return (
    <section className="panel terminal" data-testid="terminal" aria-label="fleet terminal">
      <header className="panel-head">
        <div>
          <h2>Fleet terminal</h2>
          <div className="card-sub">
            {demo.available ? (
              <>
                demo fleet{' '}
                <span className={`pill ${running ? 'pill-on' : 'pill-off'}`} data-testid="demo-state" data-running={String(!!running)}>
                  {running === undefined ? '…' : running ? 'running' : 'stopped'}
                </span>
              </>
            ) : demo.available === false ? (
              'read-only: no demo control on this server'
            ) : (
              'checking demo control…'
            )}
          </div>
        </div>
        {demo.available && (
          <div className="panel-actions">
            <button className="btn btn-play" onClick={() => void demo.play()} disabled={demo.busy || running === true} data-testid="demo-play" aria-label="play demo fleet">
              ▶ Play
            </button>
            <button className="btn btn-stop" onClick={() => void demo.stop()} disabled={demo.busy || running === false} data-testid="demo-stop" aria-label="stop demo fleet">
              ■ Stop
            </button>
          </div>
        )}
      </header>
      {demo.error && <div className="notice error">demo control: {demo.error}</div>}
      <div
        className={`screen${connected ? '' : ' screen-off'}`}
        ref={screen}
        data-testid="terminal-log"
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
        role="log"
        aria-live="off"
      >
        {connected ? (
          lines.length === 0 ? (
            <div className="line muted">waiting for log events… (type help)</div>
          ) : (
            lines.map((l) => (
              <div className={`line lvl-${l.level.toLowerCase()}`} key={l.key}>
                <span className="ts">{formatClock(l.t)}</span> <span className="lvl">{l.level.padEnd(5)}</span> {l.message}
              </div>
            ))
          )
        ) : (
          <div className="disconnected" data-testid="terminal-disconnected">
            <div>disconnected — press Enter to reconnect</div>
            <button className="btn" onClick={toggleConnection} data-testid="terminal-reconnect">
              Reconnect
            </button>
          </div>
        )}
      </div>
      <form className="prompt" onSubmit={onSubmit}>
        <span className="ps1" aria-hidden="true">
          fleetlog&gt;
        </span>
        <input
          value={input}
          onChange={(e) => setInput(e.target.value)}
          data-testid="terminal-input"
          aria-label="terminal input: Enter on an empty line disconnects or reconnects"
          placeholder={connected ? 'Enter to disconnect · help' : 'Enter to reconnect'}
          autoComplete="off"
          spellCheck={false}
        />
        <span className={`term-status ${connected ? 'ok' : 'off'}`} data-testid="terminal-status">
          {connected ? 'streaming' : 'disconnected'}
        </span>
      </form>
    </section>
  );
}

// `npm run e2e:mock`: starts the mock server (e2e/mock-server.mjs) on a free port, serving the
// built dashboard (target/classes/public), runs e2e/e2e.mjs against it, stops the mock, and exits
// with the e2e result. Screenshots go to target/e2e-mock (or E2E_OUT).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!fs.existsSync(path.join(root, 'target/classes/public/index.html'))) {
  console.error('run-with-mock: build the dashboard first (npm run build)');
  process.exit(1);
}
const mock = spawn(process.execPath, ['e2e/mock-server.mjs', '--port', '0', '--static', 'target/classes/public'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  let buf = '';
  const timer = setTimeout(() => reject(new Error('mock server did not start within 15 s')), 15000);
  mock.stdout.on('data', (d) => {
    buf += d;
    const m = buf.match(/listening on (http:\/\/\S+)/);
    if (m) {
      clearTimeout(timer);
      resolve(m[1]);
    }
  });
  mock.on('exit', (code) => reject(new Error(`mock server exited with ${code}`)));
});
const e2e = spawn(process.execPath, ['e2e/e2e.mjs'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, FLEETLOG_URL: url, E2E_OUT: process.env.E2E_OUT ?? path.join(root, 'target/e2e-mock') },
});
const code = await new Promise((resolve) => e2e.on('exit', (c) => resolve(c ?? 1)));
mock.kill('SIGTERM');
process.exit(code);

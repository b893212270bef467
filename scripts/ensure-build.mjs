// Runs before `npm start`: builds the app once if there is no production build yet.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const built = existsSync('.next/BUILD_ID') && existsSync('dist/server.js');
if (!built) {
  console.log('No production build found; running `npm run build` first.');
  const result = spawnSync('npm', ['run', 'build'], {
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  process.exit(result.status ?? 1);
}

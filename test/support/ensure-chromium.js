// Run before `npm test`: the browser tests drive Debian's Chromium (no browser is downloaded by
// a test tool: the department's machines, like CI, reach only npm and Debian). Installs it when
// missing and this is root; otherwise says what to install.
const fs = require('node:fs');
const { execSync } = require('node:child_process');

const browser = process.env.HOSO_CHROMIUM ?? '/usr/bin/chromium';
if (!fs.existsSync(browser)) {
  if (process.getuid?.() !== 0) {
    console.error(`The browser tests need Chromium at ${browser}: run \`sudo apt-get install chromium\` (or set HOSO_CHROMIUM).`);
    process.exit(1);
  }
  console.log('Installing Debian’s chromium for the browser tests…');
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium', { stdio: 'inherit' });
}

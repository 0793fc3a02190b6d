/**
 * How the browser tests and the editor benchmark start Debian's Chromium (through playwright-core):
 * its path, and the flags that keep a headless run on this machine quiet and offline.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

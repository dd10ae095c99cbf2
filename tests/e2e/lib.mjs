// Shared by the browser tests: a scratch database made with the real
// otklik, a server on a free port of 127.0.0.1, Debian's Chromium driven by
// playwright-core, axe-core for WCAG 2.1 AA, and the Nu HTML checker.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
export const OTKLIK = process.env.OTKLIK;
export const SRCDIR = process.env.SRCDIR;
if (!OTKLIK || !SRCDIR)
	throw new Error('set OTKLIK and SRCDIR');

// Runs otklik with the scratch database; input goes to standard input.
export function otk(db, args, input) {
	return execFileSync(OTKLIK, ['--db', db, ...args], {
		input: input ?? '', encoding: 'utf8',
		env: { ...process.env, OTKLIK_DB: db },
	});
}

// The demo accounts of demoDatabase(): login → password.
export const accounts = {
	officer: 'officer-pass-1',
	editor: 'editor-pass-1',
	admin: 'admin-pass-01',
};

// A database with the seed registry of order 001 and demo accounts.
export function demoDatabase() {
	const dir = mkdtempSync(join(tmpdir(), 'otklik-e2e-'));
	const db = join(dir, 'e2e.db');
	otk(db, ['init']);
	otk(db, ['org', 'add', 'gkk', '--name',
	    'Государственный комитет Республики Башкортостан по конкурентной политике',
	    '--tz', 'Asia/Yekaterinburg']);
	otk(db, ['--org', 'gkk', 'registry', 'import', '--client', 'internal',
	    join(SRCDIR, 'tests/fixtures/registry-001.csv')]);
	otk(db, ['--org', 'gkk', 'registry', 'publish']);
	otk(db, ['--org', 'gkk', 'user', 'add', 'officer', '--name',
	    'Уполномоченное лицо', '--role', 'officer'], accounts.officer + '\n');
	otk(db, ['--org', 'gkk', 'user', 'add', 'editor', '--name',
	    'Редактор отдела', '--role', 'editor'], accounts.editor + '\n');
	otk(db, ['--org', 'gkk', 'user', 'add', 'admin', '--name',
	    'Администратор', '--role', 'admin'], accounts.admin + '\n');
	return { dir, db };
}

// The route table as "otklik routes" prints it: { method, pattern, who,
// what } for each route.
export function routes(db) {
	return otk(db, ['routes']).split('\n').filter((l) => l !== '')
	    .map((l) => {
		const [method, pattern, who, what] = l.split('\t');
		return { method, pattern, who, what };
	    });
}

// Starts "otklik serve" on a free port; resolves to { url, stop, stderr }:
// stop() ends it with SIGTERM and resolves to its exit status; stderr()
// is what it wrote there (a sanitizer's reports, say).
export function serve(db) {
	return new Promise((resolve, reject) => {
		const p = spawn(OTKLIK, ['--db', db, 'serve', '--listen',
		    '127.0.0.1:0', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '', err = '';
		p.stderr.on('data', (d) => { err += d; });
		p.stdout.on('data', (d) => {
			out += d;
			const m = out.match(/listening on (http:\/\/[0-9.]+:[0-9]+)\//);
			if (m)
				resolve({
					url: m[1],
					stop: () => new Promise((res) => {
						p.on('exit', (code) => res(code));
						p.kill('SIGTERM');
					}),
					stderr: () => err,
				});
		});
		p.on('exit', (code) => reject(new Error(`otklik serve exited ${code}: ${err}`)));
	});
}

export async function browser() {
	return chromium.launch({
		executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic',
		    '--no-first-run', '--disable-background-networking',
		    '--disable-component-update', '--disable-sync'],
	});
}

// axe-core on the page: WCAG 2.1 A and AA rules; returns the violations.
let axeSource;
export async function axe(page) {
	axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
	await page.addScriptTag({ content: axeSource });
	const r = await page.evaluate(async () => await window.axe.run(document, {
		runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
		resultTypes: ['violations'],
	}));
	return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}) ` +
	    v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; '));
}

// The Nu HTML checker on pages saved as files; returns its messages.
export function vnu(files) {
	const jar = require('vnu-jar');
	try {
		execFileSync('java', ['-jar', jar, '--errors-only', '--format', 'text', ...files],
		    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
		return [];
	} catch (e) {
		return (e.stderr + e.stdout).split('\n').filter((l) =>
		    l.trim() !== '' && !l.startsWith('Document checking completed'));
	}
}

// Keeps the HTML of a page for vnu().
export function keep(dir, name, html) {
	const f = join(dir, name + '.html');
	writeFileSync(f, html);
	return f;
}

export function cleanup(dir) {
	rmSync(dir, { recursive: true, force: true });
}

// What has the keyboard focus: enough of the element to recognize it,
// and whether the focus shows (:focus-visible with an outline).
export async function focused(page) {
	return page.evaluate(() => {
		const e = document.activeElement;
		if (e == null || e === document.body)
			return null;
		const squeeze = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
		const style = getComputedStyle(e);
		return {
			tag: e.localName,
			type: e.getAttribute('type'),
			id: e.id,
			name: e.getAttribute('name'),
			text: squeeze(e.innerText),
			href: e.getAttribute('href'),
			label: e.labels != null && e.labels.length > 0
			    ? squeeze(e.labels[0].innerText) : null,
			checked: e.type === 'checkbox' ? e.checked : null,
			value: 'value' in e ? e.value : null,
			shown: e.matches(':focus-visible') &&
			    style.outlineStyle !== 'none' &&
			    parseFloat(style.outlineWidth) >= 2,
		};
	});
}

// Does a focused element have every property of want (strings compare
// equal, regular expressions match)?
function like(f, want) {
	return Object.entries(want).every(([k, v]) =>
	    v instanceof RegExp ? v.test(f[k] ?? '') : f[k] === v);
}

function named(f) {
	return f == null ? '(nothing)' : `<${f.tag}${f.id ? '#' + f.id : ''}> ` +
	    (f.label ?? f.text ?? f.href ?? '').slice(0, 60);
}

// Presses Tab (Shift+Tab with back) until the focus is on an element like
// want; fails if it never gets there or if the focus cannot be seen.
export async function tabTo(page, want, { back = false, max = 200 } = {}) {
	const passed = [];
	for (let i = 0; i < max; i++) {
		await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
		const f = await focused(page);
		if (f != null && like(f, want)) {
			if (!f.shown)
				throw new Error(`the focus on ${named(f)} is not visible`);
			return f;
		}
		passed.push(named(f));
	}
	throw new Error(`${back ? 'Shift+Tab' : 'Tab'} never reached ` +
	    `${JSON.stringify(want, (k, v) => v instanceof RegExp ? String(v) : v)}; ` +
	    `the last stops: ${passed.slice(-8).join(' | ')}`);
}

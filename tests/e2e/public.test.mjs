// The public pages: the published registry in the official form, the
// home page and the sign-in page pass axe-core (WCAG 2.1 AA) and the Nu
// HTML checker, work without JavaScript, and can be used by keyboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { demoDatabase, serve, browser, axe, vnu, keep, cleanup } from './lib.mjs';

let env, srv, br;
const pages = [];

before(async () => {
	env = demoDatabase();
	srv = await serve(env.db);
	br = await browser();
});

after(async () => {
	await br?.close();
	if (srv)
		assert.equal(await srv.stop(), 0, 'the server stops cleanly');
	const problems = vnu(pages);
	cleanup(env.dir);
	assert.deepEqual(problems, [], 'the Nu HTML checker finds no errors');
});

test('the published registry, without JavaScript', async () => {
	const ctx = await br.newContext({ javaScriptEnabled: false });
	const page = await ctx.newPage();
	const resp = await page.goto(srv.url + '/gkk/registry');
	assert.equal(resp.status(), 200);
	assert.equal(await page.locator('h1').innerText(),
	    'Перечень точек взаимодействия с клиентом');
	const heads = await page.locator('thead th').allInnerTexts();
	assert.deepEqual(heads, ['N', 'Направление деятельности',
	    'Наименование конкретного процесса', 'Точка взаимодействия',
	    'Осуществляемое взаимодействие с клиентом',
	    'Особенности взаимодействия с клиентом']);
	assert.match(await page.content(), /Версия 1, опубликована/);
	pages.push(keep(env.dir, 'registry', await resp.text()));
	await ctx.close();
});

test('every public page passes axe-core', async () => {
	// The pages' CSP forbids inline scripts; axe is injected by the test.
	const ctx = await br.newContext({ bypassCSP: true });
	const page = await ctx.newPage();
	for (const path of ['/', '/gkk/registry', '/login']) {
		const resp = await page.goto(srv.url + path);
		/* The page as served, for the Nu checker, before axe runs. */
		pages.push(keep(env.dir, 'public' + path.replace(/\W/g, '_'), await resp.text()));
		assert.deepEqual(await axe(page), [], `axe on ${path}`);
	}
	await ctx.close();
});

test('the skip link and the language switch work by keyboard', async () => {
	const page = await br.newPage();
	await page.goto(srv.url + '/gkk/registry');
	await page.keyboard.press('Tab');
	assert.equal(await page.evaluate(() => document.activeElement.textContent),
	    'Перейти к содержанию');
	await page.keyboard.press('Enter');
	assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
	await page.goto(srv.url + '/gkk/registry');
	const sw = page.getByRole('link', { name: 'English' });
	await sw.focus();
	await page.keyboard.press('Enter');
	await page.waitForURL(/\/gkk\/registry$/);
	assert.equal(await page.getAttribute('html', 'lang'), 'en');
	await page.close();
});

test('a phone-sized screen needs no sideways scrolling of the page', async () => {
	const ctx = await br.newContext({ viewport: { width: 375, height: 800 } });
	const page = await ctx.newPage();
	await page.goto(srv.url + '/gkk/registry');
	const wide = await page.evaluate(() =>
	    document.documentElement.scrollWidth > window.innerWidth + 1);
	assert.equal(wide, false, 'the page itself fits; the table scrolls in its box');
	await ctx.close();
});

// The staff side of feedback in a real browser: a citizen sends an appeal
// on the public page; an operator signs in and, by keyboard alone, finds
// it in the queue, acknowledges it, takes it into work, starts the answer
// from a template found by a word, edits it and sends it, sees the timer
// met, and closes the case; a letter received long ago shows as a breach;
// the citizen says "not solved" on the tracking page and the case is back
// in work.  Every staff page of feedback passes axe-core (WCAG 2.1 AA) and
// the Nu HTML checker, the forms with their errors too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	otk, demoDatabase, serve, browser, axe, vnu, keep, cleanup, focused,
	tabTo,
} from './lib.mjs';

const ORG = 'gkk';
const CODE = /^[0-9A-Z]{4}-[0-9A-Z]{6}$/;
const OPERATOR_PASSWORD = 'operator-pass-1';
const TEMPLATE = 'Записаться на личный приём можно по телефону 8-800-000-00-00.';

let env, srv, br;
const pages = [];	// pages as served, for the Nu HTML checker
const failures = [];	// axe-core's findings, reported at the end

before(async () => {
	env = demoDatabase();
	const cli = (...a) => otk(env.db, ['--org', ORG, ...a]);
	otk(env.db, ['--org', ORG, 'user', 'add', 'operator', '--name',
	    'Оператор Петрова', '--role', 'operator'], OPERATOR_PASSWORD + '\n');
	cli('topic', 'add', '--keywords', 'запис+приём|талон', 'Запись на приём');
	cli('topic', 'add', '--reason', '--keywords', 'открыва|ошибк',
	    'Техническая ошибка');
	cli('template', 'add', '--topic', 'Запись на приём', 'Запись на приём',
	    TEMPLATE);
	cli('template', 'add', 'Благодарность', 'Спасибо за ваш отзыв.');
	srv = await serve(env.db);
	br = await browser();
});

after(async () => {
	try {
		await br?.close();
		if (srv != null) {
			assert.equal(await srv.stop(), 0, 'the server stops cleanly: ' +
			    srv.stderr());
			assert.doesNotMatch(srv.stderr(), /AddressSanitizer|runtime error/);
		}
		assert.deepEqual(pages.length > 0 ? vnu(pages) : [], [],
		    'the Nu HTML checker finds no errors');
		assert.deepEqual(failures, [], 'axe-core finds no violations');
	} finally {
		if (env != null)
			cleanup(env.dir);
	}
});

const url = (p) => srv.url + p;

async function context(options) {
	const ctx = await br.newContext({ bypassCSP: true, ...options });
	ctx.setDefaultTimeout(10000);
	return ctx;
}

// Keeps the page for the Nu HTML checker and runs axe-core on it.
async function check(page, label, resp) {
	const html = resp != null ? await resp.text() : await page.content();
	pages.push(keep(env.dir, `fbstaff-${pages.length}-` +
	    label.replace(/[^a-z0-9]+/gi, '_').slice(0, 50), html));
	for (const v of await axe(page))
		failures.push(`${label}: ${v}`);
}

// Enter on the focused element, and the page it leads to.
async function enter(page, to) {
	const [resp] = await Promise.all([page.waitForNavigation({ url: to }),
	    page.keyboard.press('Enter')]);
	return resp;
}

const mainText = async (page) => page.locator('main').innerText();

async function citizenSends(page) {
	await page.goto(url(`/${ORG}/feedback`));
	await page.getByLabel('Обращение', { exact: true }).check();
	await page.getByLabel('Текст сообщения').fill(
	    'Не могу записаться на приём к руководителю: форма не открывается.');
	await Promise.all([page.waitForNavigation(),
	    page.getByRole('button', { name: 'Отправить сообщение' }).click()]);
	const code = (await page.locator('#tracking-code').innerText()).trim();
	assert.match(code, CODE);
	return code;
}

// A letter of 40 days ago, imported: its 30 days to answer are over.
function oldLetter() {
	const at = new Date(Date.now() - 40 * 86400 * 1000).toISOString()
	    .replace(/\.\d+Z$/, 'Z');
	const file = join(env.dir, 'old-letter.csv');
	writeFileSync(file, 'external_id,received_at,channel,kind,client_type,text\n' +
	    `post-1,${at},post,appeal,external,Прошу выдать справку о составе семьи\n`);
	otk(env.db, ['--org', ORG, 'feedback', 'import', file]);
}

async function keyboardSignIn(page) {
	await page.goto(url(`/login?next=${encodeURIComponent(`/${ORG}/cases`)}`));
	assert.equal((await focused(page))?.id, 'login', 'the login field has the focus');
	await page.keyboard.type('operator');
	await tabTo(page, { id: 'password' });
	await page.keyboard.type(OPERATOR_PASSWORD);
	await tabTo(page, { tag: 'button', text: 'Войти' });
	return enter(page, new RegExp(`/${ORG}/cases$`));
}

test('an appeal from the public page through its life, by keyboard', async () => {
	const ctx = await context();
	const citizen = await ctx.newPage();
	const code = await citizenSends(citizen);
	oldLetter();

	const staffCtx = await context();
	const page = await staffCtx.newPage();
	let resp = await keyboardSignIn(page);
	await check(page, 'queue', resp);
	let text = await mainText(page);
	// The appeal is in the queue, with its timers in words; the old
	// letter is a breach, listed and first in deadline order.
	assert.match(text, /Внешние клиенты: 2/);
	assert.match(text, /Нарушения сроков: 1/);
	assert.match(text, /Ответ: просрочено на \d+ дн/);
	assert.match(text, /Подтверждение: осталось \d+ (мин|ч|дн)/);
	const rows = await page.locator('tbody th a').allInnerTexts();
	assert.equal(rows.length, 2);
	assert.equal(rows[1], code, 'the fresh appeal comes after the overdue letter');

	// Find it and open it.
	await tabTo(page, { tag: 'a', text: code });
	resp = await enter(page, /\/cases\/\d+$/);
	await check(page, 'case, registered', resp);
	const caseUrl = page.url();
	text = await mainText(page);
	assert.match(text, /Подсказки темы: Запись на приём — \d+ %/);
	assert.match(text, /Подсказки причины: Техническая ошибка — \d+ %/);
	assert.equal(await page.locator('#c-topic option:checked').innerText(),
	    'Запись на приём', 'the suggestion is chosen in advance');

	await tabTo(page, { tag: 'button', text: 'Подтвердить получение' });
	await enter(page, /\?done=ack$/);
	assert.match(await page.getByRole('status').innerText(), /Получение подтверждено/);
	assert.match(await mainText(page), /Подтверждение получения: выполнено в срок/);
	await tabTo(page, { tag: 'button', text: 'Взять в работу' });
	await enter(page, /\?done=take$/);
	// The suggested topic, saved as it stands.
	await tabTo(page, { tag: 'button', text: 'Сохранить' });
	await enter(page, /\?done=classify$/);

	// The answer from a template: a word finds it, choosing puts its text
	// into the answer, which is edited before it goes.
	await tabTo(page, { tag: 'input', id: 't-q' });
	await page.keyboard.type('записи');
	await tabTo(page, { tag: 'button', text: 'Найти или подставить' });
	resp = await enter(page, /tq=/);
	await check(page, 'case, templates found', resp);
	assert.deepEqual(await page.locator('#t-id option').allInnerTexts(),
	    ['без шаблона', 'Запись на приём']);
	await tabTo(page, { tag: 'select', id: 't-id' });
	await page.keyboard.press('ArrowDown');
	await tabTo(page, { tag: 'button', text: 'Найти или подставить' });
	resp = await enter(page, /template=\d+/);
	await check(page, 'case, template chosen', resp);
	let f = await focused(page);
	assert.equal(f?.id, 's-answer', 'the answer has the focus');
	assert.equal(f.value, TEMPLATE);
	await page.keyboard.press('Control+End');
	await page.keyboard.type(' Форма записи уже исправлена.');
	await tabTo(page, { tag: 'button', text: 'Отправить ответ' });
	await enter(page, /\?done=answer$/);
	text = await mainText(page);
	assert.match(text, new RegExp(TEMPLATE.replace(/[.()-]/g, '\\$&') +
	    ' Форма записи уже исправлена\\.'));
	assert.match(text, /Ответ: выполнено в срок/);
	assert.match(otk(env.db, ['--org', ORG, 'template', 'list']),
	    /\tЗапись на приём\tЗапись на приём\t1\n/, 'the template use is counted');

	await tabTo(page, { tag: 'button', text: 'Закрыть обращение' });
	resp = await enter(page, /\?done=close$/);
	await check(page, 'case, closed', resp);
	assert.match(await mainText(page), /Состояние\s+Закрыто/);

	// The citizen is not satisfied: the case is back in work.
	await citizen.goto(url(`/${ORG}/track/${code}`));
	assert.match(await citizen.locator('.answer').innerText(), /Форма записи уже исправлена/);
	await Promise.all([citizen.waitForURL(/\?done=reopened$/),
	    citizen.getByRole('button', { name: 'Нет, проблема не решена' }).click()]);
	resp = await page.goto(caseUrl);
	await check(page, 'case, reopened', resp);
	text = await mainText(page);
	assert.match(text, /Состояние\s+В работе/);
	assert.match(text, /Ответ заявителя\s+вопрос не решён/);
	assert.match(text, /Закрыто → В работе/);
	await ctx.close();
	await staffCtx.close();
});

test('every staff page of feedback, and its forms with errors', async () => {
	const ctx = await context();
	const page = await ctx.newPage();
	await keyboardSignIn(page);
	const go = async (label, path, status = 200) => {
		const resp = await page.goto(url(path));
		assert.equal(resp.status(), status, `${label}: HTTP ${resp.status()}`);
		await check(page, label, resp);
	};
	const caseId = (await page.locator('tbody th a').first().getAttribute('href'))
	    .match(/(\d+)$/)[1];
	const topic = otk(env.db, ['--org', ORG, 'topic', 'list']).split('\t')[0];
	const tpl = otk(env.db, ['--org', ORG, 'template', 'list']).split('\t')[0];
	await go('queue, filtered', `/${ORG}/cases?state=open&client=external&overdue=1&q=справк`);
	await go('case', `/${ORG}/cases/${caseId}`);
	await go('new', `/${ORG}/cases/new`);
	assert.equal((await focused(page))?.id, 'n-channel', 'the channel has the focus');
	await go('topics', `/${ORG}/feedback/topics`);
	await go('topic', `/${ORG}/feedback/topics/${topic}`);
	await go('templates', `/${ORG}/feedback/templates?q=${encodeURIComponent('приём')}`);
	await go('template', `/${ORG}/feedback/templates/${tpl}`);
	await go('channels', `/${ORG}/feedback/channels`);

	// The registration with a text of spaces only (an empty one the
	// browser keeps back itself): 400, the error at its field.
	await page.goto(url(`/${ORG}/cases/new`));
	await page.getByLabel('Текст обращения').fill('   ');
	let [resp] = await Promise.all([page.waitForNavigation(),
	    page.getByRole('button', { name: 'Зарегистрировать' }).click()]);
	assert.equal(resp.status(), 400);
	assert.equal(await page.locator('#n-text').getAttribute('aria-invalid'), 'true');
	await check(page, 'new, errors', resp);
	// A topic whose keywords are only a stop word.
	await page.goto(url(`/${ORG}/feedback/topics`));
	await page.getByLabel('Название').fill('Предлоги');
	await page.getByLabel('Ключевые слова').fill('на');
	[resp] = await Promise.all([page.waitForNavigation(),
	    page.getByRole('button', { name: 'Добавить' }).click()]);
	assert.equal(resp.status(), 400);
	assert.match(await page.locator('#t-keywords-err').innerText(), /stop word/);
	await check(page, 'topics, errors', resp);
	await ctx.close();
});

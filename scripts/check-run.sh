#!/bin/sh
# CI: "make run" must come up: it builds, makes the demo and serves it.
# Waits for the demo's public registry page, feedback form, survey and
# published yearly report on 127.0.0.1:8080 (up to 10 minutes, for a
# first build), then stops the server.
set -u
log=${TMPDIR:-/tmp}/otklik-make-run.log
setsid make run >"$log" 2>&1 &
pid=$!
status=1
i=0
while [ $i -lt 600 ]; do
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "check-run: make run ended before serving:"
		tail -n 30 "$log"
		exit 1
	fi
	if curl -sf -o /dev/null http://127.0.0.1:8080/healthz &&
	    curl -sf http://127.0.0.1:8080/gkk/registry |
	    grep -q 'Точка взаимодействия' &&
	    curl -sf http://127.0.0.1:8080/minzdrav-pk/feedback |
	    grep -q 'Текст сообщения' &&
	    curl -sf http://127.0.0.1:8080/minzdrav-pk/s/services |
	    grep -q 'оказанием Министерством государственных услуг' &&
	    curl -sf http://127.0.0.1:8080/minzdrav-pk/report/2025 |
	    grep -q 'Время ожидания ответа'; then
		status=0
		break
	fi
	sleep 1
	i=$((i + 1))
done
kill -TERM "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
[ $status -eq 0 ] && echo "check-run: the demo serves the public registry, the feedback form, a survey and the yearly report" ||
    { echo "check-run: no answer on 127.0.0.1:8080"; tail -n 30 "$log"; }
exit $status

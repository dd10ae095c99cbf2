#!/bin/sh
# make run: a demo database with two organizations holding the registries
# of the seed orders, their checks and publication status, the registry in
# the official form (printed, and as HTML, CSV and XLSX files), demo staff
# accounts, feedback, surveys, a synthetic history with its reports, pain
# map, level and published yearly report, and then the web application on
# 127.0.0.1:8080 (or $LISTEN).
# usage: scripts/demo.sh OTKLIK DIR
set -eu
otklik=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
dir=$2
src=$(cd "$(dirname "$0")/.." && pwd)

rm -rf "$dir"
mkdir -p "$dir"
export OTKLIK_DB="$dir/otklik.db"
unset OTKLIK_ORG OTKLIK_USER

"$otklik" init
"$otklik" org add gkk --name 'Государственный комитет Республики Башкортостан по конкурентной политике' \
    --short 'Госкомитет РБ по конкурентной политике' --region RU-BA --tz Asia/Yekaterinburg \
    --site https://zakupki.bashkortostan.ru
"$otklik" org add minzdrav-pk --name 'Министерство здравоохранения Приморского края' \
    --short 'Минздрав ПК' --region RU-PRI --tz Asia/Vladivostok
# Demo accounts; the passwords are for this demo only.
printf 'officer-demo-1\n' | "$otklik" --org gkk user add officer \
    --name 'Уполномоченное лицо' --role officer
printf 'editor-demo-1\n' | "$otklik" --org gkk user add editor \
    --name 'Отдел кадровой и организационной работы' \
    --role editor --unit 'Отдел кадровой и организационной работы'
printf 'admin-demo-01\n' | "$otklik" --org gkk user add admin \
    --name 'Администратор' --role admin
"$otklik" --org minzdrav-pk user role admin --role admin
printf 'operator-demo-1\n' | "$otklik" --org minzdrav-pk user add operator \
    --name 'Отдел по работе с обращениями граждан' --role operator

echo
"$otklik" --org gkk --user officer registry import --client internal \
    --note 'Приказ от 16.05.2024 N ГК03-94' "$src/tests/fixtures/registry-001.csv"
"$otklik" --org minzdrav-pk registry import --client internal \
    --note 'Приказ от 22.10.2024 N 18/пр/1459' "$src/tests/fixtures/registry-000.csv"

# A change through the workflow: the editor drafts, the officer includes.
id=$("$otklik" --org gkk --user editor registry draft add \
    --area 'Взаимодействие с внутренним клиентом' \
    --process 'Организация рабочего пространства' \
    --name 'Платформа обратной связи' \
    --interaction 'Предоставление обратной связи. Получение результата рассмотрения обратной связи' \
    --client internal --unit 'Отдел кадровой и организационной работы')
"$otklik" --org gkk --user editor registry submit "$id" >/dev/null
"$otklik" --org gkk --user officer registry include "$id" >/dev/null

for org in gkk minzdrav-pk; do
	"$otklik" --org "$org" registry export --format html -o "$dir/$org-registry.html"
	"$otklik" --org "$org" registry export --format csv -o "$dir/$org-registry.csv"
	"$otklik" --org "$org" registry export --format xlsx -o "$dir/$org-registry.xlsx"
done

echo
"$otklik" --org gkk registry export --format text
echo
echo "== registry check (gkk) =="
"$otklik" --org gkk registry check || true
echo
echo "== registry status (gkk) =="
"$otklik" --org gkk registry status || true
echo
echo "== registry diff 1 2 (gkk) =="
"$otklik" --org gkk registry diff 1 2
"$otklik" --org gkk --user officer registry publish --version 1 >/dev/null
"$otklik" --org minzdrav-pk registry publish >/dev/null
# Feedback (R-FB-10): a season of the ministry's messages from the
# platform and its other channels, imported as an export gives them.
echo
# The messages are of autumn 2024; they are moved forward by whole weeks
# (so that weekdays stay weekdays) to end in the week before this one,
# which makes the queue's timers and breaches those of a working office.
awk -v today="$(date +%Y-%m-%d)" -F, -v OFS=, '
function days(y, m, d) {	# days since 1970-01-01 of a civil date
	y -= m <= 2; era = int(y / 400); yoe = y - era * 400
	doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
	return era * 146097 + yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy - 719468
}
function civil(z,    era, doe, yoe, doy, mp, d, m, y) {
	z += 719468; era = int(z / 146097); doe = z - era * 146097
	yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
	doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100)); mp = int((5 * doy + 2) / 153)
	d = doy - int((153 * mp + 2) / 5) + 1; m = mp + (mp < 10 ? 3 : -9)
	y = yoe + era * 400 + (m <= 2)
	return sprintf("%04d-%02d-%02d", y, m, d)
}
BEGIN { shift = int((days(substr(today, 1, 4) + 0, substr(today, 6, 2) + 0,
    substr(today, 9, 2) + 0) - days(2024, 11, 30)) / 7) * 7 - 7 }
NR > 1 { for (i = 1; i <= NF; i++)
	if ($i ~ /^20[0-9][0-9]-[01][0-9]-[0-3][0-9]T/)
		$i = civil(days(substr($i, 1, 4) + 0, substr($i, 6, 2) + 0,
		    substr($i, 9, 2) + 0) + shift) substr($i, 11) }
{ print }' "$src/tests/fixtures/feedback-demo.csv" >"$dir/feedback-demo.csv"
"$otklik" --org minzdrav-pk feedback import --create-topics \
    "$dir/feedback-demo.csv"
"$otklik" --org minzdrav-pk --user operator template add \
    'Запись к врачу' 'Здравствуйте! Записаться на приём к врачу можно на портале госуслуг, по телефону регистратуры или через инфомат в поликлинике. Если свободных талонов нет, вас внесут в лист ожидания и сообщат о появившемся времени.' >/dev/null
"$otklik" --org minzdrav-pk --user operator template add \
    'Лекарственное обеспечение' 'Здравствуйте! Ваше обращение о лекарственном обеспечении передано в отдел лекарственного обеспечения. Препарат будет выдан в аптеке по месту прикрепления после поступления; аптека сообщит вам об этом по телефону.' >/dev/null
# A citizen's appeal on the phone, registered by the operator.
"$otklik" --org minzdrav-pk --user operator feedback add --channel phone \
    --kind appeal --form service --transfers 1 \
    'Не могу записаться к кардиологу: в регистратуре говорят, что талонов нет на месяц вперёд.' >/dev/null
echo
echo "== feedback queue (minzdrav-pk), nearest deadline first =="
"$otklik" --org minzdrav-pk feedback list --state open --limit 8
echo
# Surveys: paper forms of the last five months, as staff would enter them
# (two services and the internal survey at the two internal touchpoints),
# an analyst, and a survey offered at the site.  The figures are made up,
# with one weak spot (documents for the licence) to show up in results.
printf 'analyst-demo-1\n' | "$otklik" --org minzdrav-pk user add analyst \
    --name 'Отдел организационной работы' --role analyst
# The two touchpoints of Минздрав ПК's registry (the site, the EDMS).
tps=$("$otklik" --org minzdrav-pk registry list | cut -f1 | head -2 | tr '\n' ' ')
set -- $tps
tp_site=$1 tp_edms=$2
survey_paper() {	# survey_paper INSTRUMENT ROWS SEED > CSV
	awk -v today="$(date +%Y-%m-%d)" -v code="$1" -v n="$2" -v seed="$3" \
	    -v tp1="$tp_site" -v tp2="$tp_edms" '
	function civil(z,    era, doe, yoe, doy, mp, d, m, y) {
		z += 719468; era = int(z / 146097); doe = z - era * 146097
		yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
		doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100)); mp = int((5 * doy + 2) / 153)
		d = doy - int((153 * mp + 2) / 5) + 1; m = mp + (mp < 10 ? 3 : -9)
		y = yoe + era * 400 + (m <= 2)
		return sprintf("%04d-%02d-%02d", y, m, d)
	}
	function days(y, m, d) {
		y -= m <= 2; era = int(y / 400); yoe = y - era * 400
		doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
		return era * 146097 + yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy - 719468
	}
	function r(bias,    x) {	# a rating leaning to 4 and 5, lower with bias
		x = 5 - int(rand() * rand() * 5) - bias
		return x < 1 ? 1 : x
	}
	BEGIN {
		srand(seed)
		t = days(substr(today, 1, 4) + 0, substr(today, 6, 2) + 0, substr(today, 9, 2) + 0)
		if (code == "internal") {
			print "paper_ref,day,touchpoint,career,workplace,automation,regulation,manager,cooperation,hr,colleagues,overall,proposals"
			for (i = 1; i <= n; i++)
				printf "ВН-%04d,%s,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%s\n", i,
				    civil(t - 1 - int(rand() * 150)), i % 2 ? tp1 : tp2, r(1), r(0),
				    r(i % 2 ? 0 : 2), r(1), r(0), r(1), r(0), r(0), r(0),
				    i % 9 ? "" : "Нужна единая система электронного документооборота с подведомственными"
			exit
		}
		print "paper_ref,day,service,segment,needs,booked,access,clarity,booking,informing,documents,speed,overall,proposals"
		for (i = 1; i <= n; i++) {
			lic = i % 3 == 0
			b = rand() < 0.6 ? "yes" : "no"
			printf "ГУ-%04d,%s,%s,%s,%s,%s,%d,%d,%s,%d,%d,%d,%d,%s\n", i,
			    civil(t - 1 - int(rand() * 150)),
			    lic ? "Лицензирование медицинской деятельности" : "Выдача справок о льготном лекарственном обеспечении",
			    lic ? (i % 2 ? "organization" : "entrepreneur") : "citizen",
			    lic ? "apply;documents" : "procedure", b, r(0), r(0),
			    b == "yes" ? r(1) : "", r(0), r(lic ? 2 : 0), r(lic ? 1 : 0), r(lic ? 1 : 0),
			    i % 7 ? "" : (lic ? "Сократить перечень документов для лицензии" : "Выдавать справки в электронном виде")
		}
	}'
}
survey_paper services 420 11 >"$dir/survey-services-paper.csv"
survey_paper internal 96 12 >"$dir/survey-internal-paper.csv"
"$otklik" --org minzdrav-pk --user analyst survey import-offline services \
    "$dir/survey-services-paper.csv"
"$otklik" --org minzdrav-pk --user analyst survey import-offline internal \
    "$dir/survey-internal-paper.csv"
"$otklik" --org minzdrav-pk --user analyst survey attach services --touchpoint "$tp_site" >/dev/null
"$otklik" --org minzdrav-pk --user analyst survey attach internal --touchpoint "$tp_edms" >/dev/null
echo
echo "== survey results: services (minzdrav-pk) =="
"$otklik" --org minzdrav-pk survey results services

# Analysis (R-AN): a year and a half of synthetic history under the
# hand-made messages and forms, so that the reports have periods to
# compare; the working group confirms the order of reengineering for the
# second half of 2025, and the report of 2025 is published.
echo
echo "== analysis (minzdrav-pk): synthetic history, reports, pain map, level =="
"$otklik" --org minzdrav-pk --user admin demo generate --messages 40000 \
    --answers 8000 --from 2025-05-01
"$otklik" --org minzdrav-pk report --period 2025H2 --format html \
    --output "$dir/minzdrav-pk-report-2025H2.html"
"$otklik" --org minzdrav-pk report --period 2025H2 --format xlsx \
    --output "$dir/minzdrav-pk-report-2025H2.xlsx"
"$otklik" --org minzdrav-pk pain list --period 2025H2 | head -8
"$otklik" --org minzdrav-pk --user admin pain confirm --period 2025H2 \
    --minutes-ref "Протокол заседания рабочей группы № 1 от 20.01.2026" \
    >/dev/null
"$otklik" --org minzdrav-pk --user admin report publish 2025 --summary \
    "По итогам года сокращен перечень документов для лицензии и открыта \
запись на прием через сайт."
"$otklik" level --region --period 2025H2
echo
"$otklik" audit verify
echo
echo "The demo database is $OTKLIK_DB; try"
echo "  OTKLIK_DB=$OTKLIK_DB $otklik --org gkk registry list"
echo "The official form, printable on A4 landscape: $dir/gkk-registry.html"
echo "  (also $dir/gkk-registry.csv and $dir/gkk-registry.xlsx, and the same for minzdrav-pk)"
echo "The half-year report, printable: $dir/minzdrav-pk-report-2025H2.html (and .xlsx)"
listen=${LISTEN:-127.0.0.1:8080}
echo
echo "== The web application: http://$listen/ =="
echo "  public registry:  http://$listen/gkk/registry"
echo "  feedback form:    http://$listen/minzdrav-pk/feedback"
echo "  tracking:         http://$listen/minzdrav-pk/track"
echo "  staff sign-in:    http://$listen/login"
echo "  case queue:       http://$listen/minzdrav-pk/cases"
echo "  surveys:          http://$listen/minzdrav-pk/s/"
echo "  survey results:   http://$listen/minzdrav-pk/surveys"
echo "  reports:          http://$listen/minzdrav-pk/reports"
echo "  pain map, level:  http://$listen/minzdrav-pk/reports/pain, .../reports/level"
echo "  public report:    http://$listen/minzdrav-pk/report/2025"
echo "  demo accounts:    officer  / officer-demo-1   (registry officer, gkk)"
echo "                    editor   / editor-demo-1    (unit editor, gkk)"
echo "                    operator / operator-demo-1  (feedback operator, minzdrav-pk)"
echo "                    analyst  / analyst-demo-1   (analyst: surveys and reports, minzdrav-pk)"
echo "                    admin    / admin-demo-01    (admin, gkk and minzdrav-pk)"
echo "  Stop with Ctrl-C."
exec "$otklik" serve --listen "$listen"

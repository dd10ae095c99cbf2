# The two commands of README.md, and a few for development.
#   make run   installs what is missing, builds, makes a demo database and
#              shows its registry in the official form
#   make test  installs what is missing, builds with AddressSanitizer and
#              UndefinedBehaviorSanitizer, and runs every test
BUILD = build
ASAN  = build-asan
DEMO  = demo

.PHONY: all deps deps-test run test demo fuzz bench clean

all: deps
	@[ -f $(BUILD)/build.ninja ] || meson setup $(BUILD) --buildtype=release
	ninja -C $(BUILD)

deps:
	@scripts/deps.sh

deps-test:
	@scripts/deps.sh test

run: all
	@scripts/demo.sh $(BUILD)/otklik $(DEMO)

test: deps-test
	@[ -f $(ASAN)/build.ninja ] || meson setup $(ASAN) \
	    -Db_sanitize=address,undefined -Db_lundef=false -Dwerror=true
	ninja -C $(ASAN)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    meson test -C $(ASAN) --print-errorlogs --num-processes 2

fuzz: deps-test
	@[ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz \
	    -Dfuzz=true -Db_lundef=false
	ninja -C build-fuzz

bench: all
	bench/run.sh $(BUILD)/otklik
	bench/web.sh $(BUILD)/otklik
	bench/ingest.sh $(BUILD)/otklik
	bench/feedback-import.sh $(BUILD)/otklik
	bench/survey.sh $(BUILD)/otklik
	bench/report.sh $(BUILD)/otklik

clean:
	rm -rf $(BUILD) $(ASAN) build-fuzz $(DEMO)

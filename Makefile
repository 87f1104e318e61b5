# sroi: PGXS build.  `make test` and `make demo` also set up a fresh machine:
# test/tools/setup-packages.sh installs what is missing, then a private cluster runs.

EXTENSION  = sroi
EXTVERSION = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" sroi.control)

MODULE_big = sroi
OBJS       = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c src/core/*.c)))

# The install script is built from the SQL sources in src/sql, in file-name order.
SQL_SOURCES = $(sort $(wildcard src/sql/*.sql))
# upgrade/: the frozen install script of every released version (sroi--V.sql) and an
# upgrade script from each to the next (sroi--OLD--NEW.sql); test/tools/upgrade.sh tests them.
# The upgrade script from the last release (PREV_VERSION) to the version under work is
# built, not written: src/tools/upgrade-script.py derives it from both install scripts and
# the hand-written changes to the old tables (src/upgrade/OLD--NEW.tables.sql), so that no
# function stands twice in the tree.  On release it is committed and frozen with the
# version's install script, and PREV_VERSION moves on.
PREV_VERSION  = 0.1
UPGRADE_built = $(if $(filter $(PREV_VERSION),$(EXTVERSION)),,upgrade/sroi--$(PREV_VERSION)--$(EXTVERSION).sql)
DATA_built    = sroi--$(EXTVERSION).sql $(UPGRADE_built)
DATA          = $(filter-out upgrade/sroi--$(EXTVERSION).sql $(UPGRADE_built), $(wildcard upgrade/sroi--*.sql))

REGRESS      = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --load-extension=sroi
EXTRA_CLEAN  = results regression.diffs regression.out

PG_CPPFLAGS = -I$(srcdir)/src -I$(srcdir)/src/core $(VISIBILITY_CPPFLAGS)
PG_CFLAGS   = -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Werror=implicit-function-declaration \
              $(VISIBILITY_CFLAGS)

# sroi.so exports only its SQL-callable functions (PG_FUNCTION_INFO_V1) and Pg_magic_func;
# the helpers that several files share stay hidden, so that they never clash with another
# module's symbols of the same name in one backend (orafce exports add_months and
# months_between).  PostgreSQL 16 does this for every module (-fvisibility=hidden in
# CFLAGS_SL_MODULE, PGDLLEXPORT as visibility "default"); for PostgreSQL 15 it is done
# here, with gcc and clang.  Recursive variables: CFLAGS_SL_MODULE and GCC come from PGXS.
# test/tools/exports.sh checks the result.
VISIBILITY_CFLAGS   = $(if $(filter -fvisibility=hidden,$(CFLAGS_SL_MODULE)),,$(if $(filter yes,$(GCC)),-fvisibility=hidden))
VISIBILITY_CPPFLAGS = $(if $(VISIBILITY_CFLAGS),-DPGDLLEXPORT='__attribute__((visibility("default")))')

# Any pg_config works (PG_CONFIG=/path/to/pg_config make); make setup, test, demo, bench,
# load-test and check-asan set up this Debian machine and use PostgreSQL 15's unless
# PG_CONFIG is given (Debian's /usr/bin/pg_config answers for the newest installed version).
PG_CONFIG ?= pg_config
DEBIAN_PG_CONFIG = /usr/lib/postgresql/15/bin/pg_config
SETUP_PG_CONFIG  = $(if $(filter command line environment,$(origin PG_CONFIG)),$(PG_CONFIG),$(DEBIAN_PG_CONFIG))

PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(PGXS),)
include $(PGXS)
else
all:
	@echo "no PostgreSQL development files ($(PG_CONFIG) --pgxs failed): set PG_CONFIG, or run 'make test' or 'make demo' (as root they install PostgreSQL 15's)" >&2; exit 1
endif

# A recipe that fails or is interrupted leaves no half-written target (the install script).
.DELETE_ON_ERROR:

# Every object depends on every header: few enough to rebuild them all.
$(OBJS): $(wildcard src/*.h src/core/*.h)

# src/tools/expand.awk writes each report's view and derives its as-of functions from it.
sroi--$(EXTVERSION).sql: $(SQL_SOURCES) src/tools/expand.awk sroi.control
	awk -f src/tools/expand.awk $(SQL_SOURCES) > $@

$(UPGRADE_built): upgrade/sroi--$(PREV_VERSION).sql sroi--$(EXTVERSION).sql src/upgrade/$(PREV_VERSION)--$(EXTVERSION).tables.sql src/tools/upgrade-script.py
	python3 src/tools/upgrade-script.py $(wordlist 1,3,$^) > $@

# make installcheck: the pg_regress tests (PGXS) and every pgTAP suite (test/pgtap/*.sql,
# through pg_prove) against the server the user already runs (PGHOST, PGPORT, PGUSER...),
# with sroi installed into it.  The pgTAP suites run in a database PGTAP_DATABASE, dropped
# and created again, and need the pgtap extension on that server.
PGTAP_DATABASE ?= contrib_regression_pgtap
PGTAP_SUITES    = $(sort $(wildcard test/pgtap/*.sql))
.PHONY: installcheck-pgtap
installcheck: installcheck-pgtap
installcheck-pgtap:
	'$(bindir)/psql' -X -q -v ON_ERROR_STOP=1 -d postgres -c 'DROP DATABASE IF EXISTS "$(PGTAP_DATABASE)"' -c 'CREATE DATABASE "$(PGTAP_DATABASE)"'
	'$(bindir)/psql' -X -q -v ON_ERROR_STOP=1 -d '$(PGTAP_DATABASE)' -c 'CREATE EXTENSION pgtap'
	pg_prove --verbose --psql-bin '$(bindir)/psql' -d '$(PGTAP_DATABASE)' $(PGTAP_SUITES)

.PHONY: setup test demo bench

# Installs the Debian packages that are missing (as root), then builds and installs sroi.
setup:
	test/tools/setup-packages.sh
	$(MAKE) PG_CONFIG=$(SETUP_PG_CONFIG) all
	$(MAKE) PG_CONFIG=$(SETUP_PG_CONFIG) install

# Every test (test/tools/run-tests.sh) on a private throw-away cluster.
test: setup
	PG_CONFIG=$(SETUP_PG_CONFIG) test/tools/run-tests.sh

# Sample data for the three DUOplus municipalities and the quarterly monitoring report.
demo: setup
	PG_CONFIG=$(SETUP_PG_CONFIG) test/tools/with-cluster.sh test/tools/demo.sh

# The demo's report pages (sroi.report_html, contract_report_html) as HTML, PDF and PNG in
# REPORT_DIR (default ./report); PDF and PNG through headless Chromium.
REPORT_DIR ?= $(CURDIR)/report
.PHONY: report
report: setup
	PG_CONFIG=$(SETUP_PG_CONFIG) test/tools/with-cluster.sh test/tools/report.sh $(REPORT_DIR)

# Speed and memory at national scale, measured side by side (test/bench/bench.sh).
bench: setup
	PG_CONFIG=$(SETUP_PG_CONFIG) test/bench/bench.sh

# sroi on a Citus cluster (a coordinator and two workers, test/tools/citus.sh; the suite is
# test/citus).  Builds and installs Citus into the system PostgreSQL 15 first when it is
# missing, from CITUS_SRC, a source tarball:
#   make test-citus CITUS_SRC=../shared/vendor/citus-13.0.5.tar.gz
CITUS_SRC ?=
.PHONY: test-citus
test-citus: setup
	CITUS_SRC="$(CITUS_SRC)" test/tools/citus.sh prove -v $(sort $(wildcard test/citus/[0-9]*.sh))

# Fuzzing of the pure C core (test/fuzz): make fuzz [FUZZ_RUNS=10000000]
FUZZ_RUNS ?= 10000000
.PHONY: fuzz
fuzz:
	test/fuzz/run.sh $(FUZZ_RUNS)

# Concurrent suppliers, coordinator and BI readers for a bounded time: make load-test [LOAD_SECONDS=20]
LOAD_SECONDS ?= 20
.PHONY: load-test
load-test: setup
	PG_CONFIG=$(SETUP_PG_CONFIG) test/tools/with-cluster.sh test/tools/load-test.sh $(LOAD_SECONDS)

# The whole test suite against an AddressSanitizer/UBSan build of sroi (test/tools/check-asan.sh).
.PHONY: check-asan
check-asan: setup
	PG_CONFIG=$(SETUP_PG_CONFIG) test/tools/check-asan.sh

# sroi: PGXS build.  `make test` and `make demo` also set up a fresh machine:
# test/tools/setup-packages.sh installs what is missing, then a private cluster runs.

EXTENSION  = sroi
EXTVERSION = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" sroi.control)

MODULE_big = sroi
OBJS       = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c src/core/*.c)))

# The install script is built from the SQL sources in src/sql, in file-name order.
SQL_SOURCES = $(sort $(wildcard src/sql/*.sql))
DATA_built  = sroi--$(EXTVERSION).sql
# upgrade/: the frozen install script of every released version (sroi--V.sql) and an
# upgrade script from each to the next (sroi--OLD--NEW.sql); test/tools/upgrade.sh tests them.
DATA        = $(filter-out upgrade/$(DATA_built), $(wildcard upgrade/sroi--*.sql))

REGRESS      = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --load-extension=sroi
EXTRA_CLEAN  = results regression.diffs regression.out

PG_CPPFLAGS = -I$(srcdir)/src -I$(srcdir)/src/core
PG_CFLAGS   = -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Werror=implicit-function-declaration

PG_CONFIG ?= $(firstword $(wildcard /usr/lib/postgresql/15/bin/pg_config) pg_config)
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(PGXS),)
include $(PGXS)
else
all:
	@echo "PostgreSQL 15 development files are missing: run 'make test' or 'make demo' (as root they install them)" >&2; exit 1
endif

# Every object depends on every header: few enough to rebuild them all.
$(OBJS): $(wildcard src/*.h src/core/*.h)

$(DATA_built): $(SQL_SOURCES) sroi.control
	cat $(SQL_SOURCES) > $@

.PHONY: setup test demo bench

# Installs the Debian packages that are missing (as root), then builds and installs sroi.
setup:
	test/tools/setup-packages.sh
	$(MAKE) all
	$(MAKE) install

# Every pg_regress test and every pgTAP suite on a private throw-away cluster.
test: setup
	test/tools/run-tests.sh

# Sample data for the three DUOplus municipalities and the quarterly monitoring report.
demo: setup
	test/tools/with-cluster.sh test/tools/demo.sh

# Speed and memory at national scale, measured side by side (test/bench/bench.sh).
bench: setup
	test/bench/bench.sh

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
	test/tools/with-cluster.sh test/tools/load-test.sh $(LOAD_SECONDS)

# The whole test suite against an AddressSanitizer/UBSan build of sroi (test/tools/check-asan.sh).
.PHONY: check-asan
check-asan: setup
	test/tools/check-asan.sh

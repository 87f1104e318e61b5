/*
 * citus_commit.c: on a Citus shard, keeps the person lock until this node's commit is
 * visible (src/sql/04_tables.sql, person_lock and lock_person).
 *
 * A placement on a shard takes the person's lock on the node of the person's slot, by a
 * read that Citus runs there in a remote transaction nested in this node's transaction.
 * When this node's transaction commits in one phase (a COMMIT from the coordinator, or
 * the end of a statement it sent without BEGIN: the usual single-row INSERT, whose writes
 * are all on this node), Citus commits such nested transactions in its
 * XACT_EVENT_PRE_COMMIT callback, before this node's own commit record
 * (transaction_management.c: "Have to commit remote transactions in PRE_COMMIT"): the
 * lock goes first, and a session waiting for it could count the person's fte before
 * this placement is visible, and place them over 1 fte (domain.md 4).
 * When the nested transactions belong to a two-phase coordinated transaction, Citus
 * prepares the ones that wrote, commits this node, and sends COMMIT to the read-only
 * ones only in XACT_EVENT_COMMIT, after this node's commit is visible.
 *
 * Two things are needed of Citus on the placing node, and both are asked here, before
 * the lock's read (lock_person calls this first):
 *  - a coordinated transaction (UseCoordinatedTransaction), so that the read runs in a
 *    transaction block on the slot's node and the lock is held until that remote
 *    transaction ends.  Without one (a single-row INSERT in autocommit reaches the node
 *    without BEGIN, so IsTransactionBlock() is false there) Citus may run a read outside
 *    a transaction block (adaptive_executor.c, DecideTransactionPropertiesForTaskList),
 *    and the lock would go with the statement.  (An earlier read with FOR KEY SHARE in
 *    the same transaction starts one anyway; this does not rely on it.)
 *  - at XACT_EVENT_PRE_COMMIT (a one-phase commit only; a PREPARE TRANSACTION from the
 *    coordinator raises XACT_EVENT_PRE_PREPARE instead, and its nested transactions stay
 *    open until after COMMIT PREPARED), before Citus's own PRE_COMMIT callback runs
 *    (callbacks run newest first, and this one is registered after Citus's, which Citus
 *    registers when shared_preload_libraries loads it, the only way it loads), Citus's
 *    Use2PCForCoordinatedTransaction().  Citus then prepares only the nested transactions
 *    that wrote (none of sroi's do; a connection Citus opened for a multi-shard read but
 *    gave no task counts as a writer, placement_connection.c, and is prepared and
 *    committed after: no lock, no harm), commits this node, and commits the rest, the
 *    lock's among them, in XACT_EVENT_COMMIT, after this node's commit is visible.
 * Not done in SQL: a local write through Citus marks the transaction two-phase too, but
 * also when the coordinator then prepares it, and at COMMIT PREPARED the stale two-phase
 * state prepared the nested read and a worker crashed (test/citus/README.md, the person
 * lock).
 *
 * Citus is found by name when this runs: sroi neither links nor needs it elsewhere, and
 * only lock_person calls this, only on a shard.
 */
#include "postgres.h"

#include "sroi.h"

#include "access/xact.h"

PG_FUNCTION_INFO_V1(person_lock_past_commit);

typedef void (*citus_fn) (void);

static citus_fn citus_use_coordinated = NULL;
static citus_fn citus_use_2pc = NULL;
static bool callback_registered = false;
static bool lock_held = false;	/* this transaction took a person lock on a shard */

static void
person_lock_xact_callback(XactEvent event, void *arg)
{
	if (!lock_held)
		return;
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
			citus_use_2pc();
			break;
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PREPARE:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_PARALLEL_ABORT:
			lock_held = false;
			break;
		default:
			break;
	}
}

Datum
person_lock_past_commit(PG_FUNCTION_ARGS)
{
	if (citus_use_2pc == NULL)
	{
		/* "citus" as in shared_preload_libraries: found the same way */
		citus_use_coordinated = (citus_fn)
			load_external_function("citus", "UseCoordinatedTransaction", true, NULL);
		citus_use_2pc = (citus_fn)
			load_external_function("citus", "Use2PCForCoordinatedTransaction", true, NULL);
	}
	if (!callback_registered)
	{
		RegisterXactCallback(person_lock_xact_callback, NULL);
		callback_registered = true;
	}
	citus_use_coordinated();
	lock_held = true;
	PG_RETURN_VOID();
}

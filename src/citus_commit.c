/*
 * citus_commit.c: on a Citus shard, keeps the person lock until this node's commit is
 * visible (src/sql/04_tables.sql, person_lock and lock_person).
 *
 * A placement on a shard takes the person's lock on the node of the person's slot, by a
 * read that Citus runs there in a remote transaction nested in this node's transaction.
 * When this node's transaction commits in one phase (a COMMIT from the coordinator:
 * the usual single-row INSERT), Citus commits such nested transactions in its
 * XACT_EVENT_PRE_COMMIT callback, before this node's own commit record
 * (transaction_management.c: "Have to commit remote transactions in PRE_COMMIT"): the
 * lock goes first, and a session waiting for it could count the person's fte before
 * this placement is visible, and place them over 1 fte (domain.md 4).
 * When the nested transactions belong to a two-phase coordinated transaction, Citus
 * prepares the ones that wrote, commits this node, and sends COMMIT to the read-only
 * ones only in XACT_EVENT_COMMIT, after this node's commit is visible.
 *
 * So a placement that took the lock on a shard asks for that here: at PRE_COMMIT (a
 * one-phase commit only; a PREPARE TRANSACTION from the coordinator raises
 * XACT_EVENT_PRE_PREPARE instead, and its nested transactions stay open until after
 * COMMIT PREPARED), before Citus's own PRE_COMMIT callback runs (callbacks run newest
 * first, and this one is registered after Citus's, which Citus registers when
 * shared_preload_libraries loads it), it calls Citus's Use2PCForCoordinatedTransaction().
 * The lock's transaction wrote nothing, so nothing is prepared for it: it is committed
 * after this node's commit.  Not done in SQL: a local write through Citus marks the
 * transaction two-phase too, but also when the coordinator then prepares it, and at
 * COMMIT PREPARED the stale two-phase state prepares the nested read and the worker
 * crashed (test/citus/README.md, the person lock).
 *
 * Citus is found by name when this runs: sroi neither links nor needs it elsewhere, and
 * only lock_person calls this, only on a shard.
 */
#include "postgres.h"

#include "sroi.h"

#include "access/xact.h"

PG_FUNCTION_INFO_V1(person_lock_past_commit);

typedef void (*citus_use_2pc_fn) (void);

static citus_use_2pc_fn citus_use_2pc = NULL;
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
		citus_use_2pc = (citus_use_2pc_fn)
			load_external_function("$libdir/citus", "Use2PCForCoordinatedTransaction",
								   true, NULL);
	if (!callback_registered)
	{
		RegisterXactCallback(person_lock_xact_callback, NULL);
		callback_registered = true;
	}
	lock_held = true;
	PG_RETURN_VOID();
}

/*
 * persons.c: sroi.persons(text), the exact number of distinct persons, as a
 * parallel aggregate (count(DISTINCT ...) cannot be split over workers or nodes).
 *
 * The state is a bytea: the distinct ids in ascending byte order, in the format of
 * src/core/persons_state.h (the same set always gives the same bytes), whose
 * persons_state_check validates every count and length against the input size before
 * anything is read.  A concrete state type (not "internal") is what lets Citus run the
 * aggregate on its workers and combine their states on the coordinator
 * (worker_partial_agg / coord_combine_agg send the state as text); parallel query
 * combines the same bytes.
 *
 * Inside an aggregate the state is an expanded object (utils/expandeddatum.h): a hash
 * set of the distinct ids (simplehash, keyed by the id bytes) in a memory context that
 * the aggregate context's sets share (below), updated in place.  Every step looks its id up and
 * copies it only when it is new, so the memory follows the number of distinct persons,
 * not of rows: a repeated id costs nothing.  The copies are short varlenas packed into
 * blocks.  The set is flattened into the bytes above only when a tuple or Citus needs
 * them (a parallel worker's or a Citus worker's partial state).
 */
#include "postgres.h"

#include "sroi.h"

#include "common/hashfn.h"
#include "utils/expandeddatum.h"
#include "utils/memutils.h"

#include "persons_state.h"

/*
 * An entry is 16 bytes: the id, a varlena in the set's context (1-byte header up to 126
 * bytes), its hash and simplehash's status.  Lookups use the input's own varlena as the
 * key, so a repeated id is never copied.
 */
typedef struct PersonEntry
{
	const struct varlena *id;
	uint32		hash;
	char		status;
} PersonEntry;

static inline uint32
id_hash(const struct varlena *id)
{
	return hash_bytes((const unsigned char *) VARDATA_ANY(id), (int) VARSIZE_ANY_EXHDR(id));
}

static inline bool
id_equal(const struct varlena *a, const struct varlena *b)
{
	Size		length = VARSIZE_ANY_EXHDR(a);

	return length == VARSIZE_ANY_EXHDR(b) && memcmp(VARDATA_ANY(a), VARDATA_ANY(b), length) == 0;
}

#define SH_PREFIX personhash
#define SH_ELEMENT_TYPE PersonEntry
#define SH_KEY_TYPE const struct varlena *
#define SH_KEY id
#define SH_HASH_KEY(tb, key) id_hash(key)
#define SH_EQUAL(tb, a, b) id_equal(a, b)
#define SH_STORE_HASH
#define SH_GET_HASH(tb, a) ((a)->hash)
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/*
 * Id copies are carved from blocks that double from ID_FIRST_BLOCK to ID_BLOCK bytes
 * (small for the many small sets of a GROUP BY); longer ids get a chunk of their own.
 */
#define ID_FIRST_BLOCK 256
#define ID_BLOCK 32768
#define ID_OWN_CHUNK (ID_BLOCK / 8)

typedef struct PersonSet
{
	ExpandedObjectHeader hdr;	/* first: the set is an expanded object */
	MemoryContext context;		/* its memory: the shared sets context, or a caller's */
	personhash_hash *ids;
	char	   *block_free;		/* unused part of the current block */
	Size		block_left;
	Size		block_size;		/* of the current block, 0 before the first */
	PersonEntry **sorted;		/* flattening: the entries sorted, NULL when stale */
	Size		flat_size;
} PersonSet;

static Size persons_get_flat_size(ExpandedObjectHeader *eohptr);
static void persons_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size);

static const ExpandedObjectMethods persons_methods = {
	persons_get_flat_size,
	persons_flatten_into
};

/*
 * The sets of one aggregate context share one memory context under it (its child, so
 * that nodeAgg and Citus keep a read-write expanded object without copying it): a
 * context per set would make a GROUP BY of 100,000 contracts quadratic, as a hashed
 * aggregate adds up the memory of every child context at each new group.  No set is
 * ever deleted alone: the functions below return the set they were given, so nodeAgg
 * never replaces (and deletes) a transition value; the sets go with the aggregate
 * context.  The shared context is found through fn_extra and forgotten when it goes.
 */
typedef struct SetsContext
{
	MemoryContext aggcontext;	/* the aggregate context it is a child of */
	MemoryContext sets;			/* NULL when gone */
} SetsContext;

typedef struct SetsContextCallback
{
	MemoryContextCallback callback;
	SetsContext *owner;
	MemoryContext sets;
} SetsContextCallback;

static void
forget_sets(void *arg)
{
	SetsContextCallback *cb = (SetsContextCallback *) arg;

	if (cb->owner->sets == cb->sets)
	{
		cb->owner->sets = NULL;
		cb->owner->aggcontext = NULL;
	}
}

/*
 * The context for a new set: the shared one under the aggregate's; called directly, a
 * context of the set's own under the current one (a read-write expanded object returned
 * to a caller may be moved or deleted with its context: PL/pgSQL does so with a
 * variable's value).
 */
static MemoryContext
sets_context(FunctionCallInfo fcinfo)
{
	MemoryContext aggcontext;
	SetsContext *owner;
	SetsContextCallback *cb;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		return AllocSetContextCreate(CurrentMemoryContext, "sroi.persons set", ALLOCSET_SMALL_SIZES);
	owner = (SetsContext *) fcinfo->flinfo->fn_extra;
	if (owner == NULL)
	{
		owner = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(SetsContext));
		fcinfo->flinfo->fn_extra = owner;
	}
	if (owner->sets == NULL || owner->aggcontext != aggcontext)
	{
		owner->sets = AllocSetContextCreate(aggcontext, "sroi.persons sets", ALLOCSET_DEFAULT_SIZES);
		owner->aggcontext = aggcontext;
		cb = MemoryContextAlloc(owner->sets, sizeof(SetsContextCallback));
		cb->callback.func = forget_sets;
		cb->callback.arg = cb;
		cb->owner = owner;
		cb->sets = owner->sets;
		MemoryContextRegisterResetCallback(owner->sets, &cb->callback);
	}
	return owner->sets;
}

/* A new empty set in context. */
static PersonSet *
new_set(MemoryContext context, uint32 expected)
{
	PersonSet  *set = MemoryContextAllocZero(context, sizeof(PersonSet));

	EOH_init_header(&set->hdr, &persons_methods, context);
	set->context = context;
	set->ids = personhash_create(context, Max(expected, 8), NULL);
	return set;
}

/*
 * A varlena copy of length bytes in the set's context: a 1-byte header when it fits,
 * else a 4-byte one at a 4-byte boundary.
 */
static const struct varlena *
copy_id(PersonSet *set, const char *bytes, Size length)
{
	bool		short_header = length <= VARATT_SHORT_MAX - VARHDRSZ_SHORT;
	Size		size = length + (short_header ? VARHDRSZ_SHORT : VARHDRSZ);
	struct varlena *copy;

	if (size > ID_OWN_CHUNK)
		copy = MemoryContextAllocHuge(set->context, size);
	else
	{
		Size		pad = short_header ? 0 : INTALIGN(set->block_free) - (uintptr_t) set->block_free;

		if (set->block_left < pad + size)
		{
			Size		block = set->block_size == 0 ? ID_FIRST_BLOCK : Min(set->block_size * 2, ID_BLOCK);

			while (block < size)
				block *= 2;		/* up to ID_BLOCK, as size <= ID_OWN_CHUNK */
			set->block_free = MemoryContextAlloc(set->context, block);
			set->block_left = block;
			set->block_size = block;
			pad = 0;			/* blocks are MAXALIGNed */
		}
		copy = (struct varlena *) (set->block_free + pad);
		set->block_free += pad + size;
		set->block_left -= pad + size;
	}
	if (short_header)
		SET_VARSIZE_SHORT(copy, size);
	else
		SET_VARSIZE(copy, size);
	memcpy(VARDATA_ANY(copy), bytes, length);
	return copy;
}

/* Adds the id, a varlena of any header, copying it only when it is new. */
static void
add_id(PersonSet *set, const struct varlena *id)
{
	PersonEntry *entry;
	bool		found;

	entry = personhash_insert(set->ids, id, &found);
	if (!found)
	{
		entry->id = copy_id(set, VARDATA_ANY(id), VARSIZE_ANY_EXHDR(id));
		if (set->sorted != NULL)
		{
			pfree(set->sorted);	/* stale: flattened again when asked */
			set->sorted = NULL;
		}
	}
}

static int
compare_entries(const void *a, const void *b)
{
	const struct varlena *x = (*(PersonEntry *const *) a)->id;
	const struct varlena *y = (*(PersonEntry *const *) b)->id;

	return persons_id_compare((const unsigned char *) VARDATA_ANY(x), VARSIZE_ANY_EXHDR(x),
							  (const unsigned char *) VARDATA_ANY(y), VARSIZE_ANY_EXHDR(y));
}

/* The flat size: the entries are sorted here, for persons_flatten_into. */
static Size
persons_get_flat_size(ExpandedObjectHeader *eohptr)
{
	PersonSet  *set = (PersonSet *) eohptr;
	uint32		count = set->ids->members;
	personhash_iterator it;
	PersonEntry *entry;
	uint32		n = 0;
	Size		size = VARHDRSZ + 4;

	if (set->sorted != NULL)
		return set->flat_size;
	set->sorted = MemoryContextAllocHuge(set->context, (Size) Max(count, 1) * sizeof(PersonEntry *));
	personhash_start_iterate(set->ids, &it);
	while ((entry = personhash_iterate(set->ids, &it)) != NULL && n < count)
	{
		set->sorted[n++] = entry;
		size += 4 + VARSIZE_ANY_EXHDR(entry->id);
	}
	Assert(n == count);
	qsort(set->sorted, n, sizeof(PersonEntry *), compare_entries);
	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("sroi.persons state of %u ids would take %zu bytes, more than a bytea holds", count, size)));
	set->flat_size = size;
	return size;
}

static void
put_uint32(unsigned char *p, uint32 v)
{
	p[0] = (unsigned char) (v >> 24);
	p[1] = (unsigned char) (v >> 16);
	p[2] = (unsigned char) (v >> 8);
	p[3] = (unsigned char) v;
}

/* The distinct ids in ascending byte order (persons_state.h). */
static void
persons_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	PersonSet  *set = (PersonSet *) eohptr;
	unsigned char *at;
	uint32		count = set->ids->members;

	(void) persons_get_flat_size(eohptr);
	Assert(allocated_size == set->flat_size);
	SET_VARSIZE(result, allocated_size);
	at = (unsigned char *) VARDATA(result);
	put_uint32(at, count);
	at += 4;
	for (uint32 i = 0; i < count; i++)
	{
		const struct varlena *id = set->sorted[i]->id;
		uint32		length = VARSIZE_ANY_EXHDR(id);

		put_uint32(at, length);
		memcpy(at + 4, VARDATA_ANY(id), length);
		at += 4 + length;
	}
}

/* The set of an expanded state datum, or NULL when the datum is flat bytes. */
static PersonSet *
expanded_set(Datum state)
{
	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(state)))
	{
		ExpandedObjectHeader *eoh = DatumGetEOHP(state);

		if (eoh->eoh_methods == &persons_methods)
			return (PersonSet *) eoh;
	}
	return NULL;
}

/* Validates flat state bytes: 22P03 naming what is wrong; the count of ids. */
static uint32
check_flat(const unsigned char *data, Size size)
{
	uint32		count = 0;
	uint32		index = 0;

	switch (persons_state_check(data, size, &count, &index))
	{
		case PERSONS_STATE_OK:
			break;
		case PERSONS_STATE_NO_COUNT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("malformed sroi.persons state: %zu bytes, too short for the count of ids", size)));
			break;
		case PERSONS_STATE_COUNT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("malformed sroi.persons state: %u ids cannot fit in %zu bytes",
							persons_state_uint32(data), size)));
			break;
		case PERSONS_STATE_NO_LENGTH:
		case PERSONS_STATE_LENGTH:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("malformed sroi.persons state: id %u runs past the end of its %zu bytes",
							index + 1, size)));
			break;
		case PERSONS_STATE_ORDER:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("malformed sroi.persons state: id %u is not above the one before it", index + 1)));
			break;
		case PERSONS_STATE_TRAILING:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("malformed sroi.persons state: bytes after the last id")));
			break;
	}
	return count;
}

/* Adds the ids of a state datum (expanded or flat, validated) to set. */
static void
add_state(PersonSet *set, Datum state)
{
	PersonSet  *other = expanded_set(state);

	if (other != NULL)
	{
		personhash_iterator it;
		PersonEntry *entry;

		personhash_start_iterate(other->ids, &it);
		while ((entry = personhash_iterate(other->ids, &it)) != NULL)
			add_id(set, entry->id);
	}
	else
	{
		bytea	   *bytes = DatumGetByteaPP(state);
		const unsigned char *data = (const unsigned char *) VARDATA_ANY(bytes);
		Size		size = VARSIZE_ANY_EXHDR(bytes);
		uint32		count = check_flat(data, size);
		Size		at = 4;
		struct varlena *key = NULL;
		Size		key_size = 0;

		/*
		 * Valid: count distinct ids, each a length and that many bytes within
		 * data[0..size); each is looked up through a scratch varlena and copied when new.
		 */
		for (uint32 i = 0; i < count; i++)
		{
			uint32		length = persons_state_uint32(data + at);

			if (key == NULL || key_size < VARHDRSZ + (Size) length)
			{
				key_size = Max(VARHDRSZ + (Size) length, 64);
				key = key == NULL ? palloc(key_size) : repalloc(key, key_size);
			}
			SET_VARSIZE(key, VARHDRSZ + length);
			memcpy(VARDATA(key), data + at + 4, length);
			add_id(set, key);
			at += 4 + (Size) length;
		}
		if (key != NULL)
			pfree(key);
	}
}

/*
 * The set to update for the state argument argno: inside an aggregate the transition
 * value itself when it is this aggregate's read-write set; else a new set (in the
 * aggregate's context, or the current one when called directly) holding the
 * argument's ids, if any.
 */
static PersonSet *
writable_set(FunctionCallInfo fcinfo, int argno)
{
	PersonSet  *set;

	if (AggCheckCallContext(fcinfo, NULL) && !PG_ARGISNULL(argno))
	{
		Datum		state = PG_GETARG_DATUM(argno);

		set = expanded_set(state);
		if (set != NULL && VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(state)))
			return set;
	}
	set = new_set(sets_context(fcinfo), 0);
	if (!PG_ARGISNULL(argno))
		add_state(set, PG_GETARG_DATUM(argno));
	return set;
}

PG_FUNCTION_INFO_V1(persons_step);
Datum
persons_step(PG_FUNCTION_ARGS)
{
	PersonSet  *set = writable_set(fcinfo, 0);

	if (!PG_ARGISNULL(1))
	{
		text	   *id = PG_GETARG_TEXT_PP(1);

		add_id(set, (struct varlena *) id);
	}
	PG_RETURN_DATUM(EOHPGetRWDatum(&set->hdr));
}

/* Adds the other state's ids to the first; the second argument is left as it is. */
PG_FUNCTION_INFO_V1(persons_combine);
Datum
persons_combine(PG_FUNCTION_ARGS)
{
	PersonSet  *set;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		if (expanded_set(PG_GETARG_DATUM(0)) == NULL)
		{
			bytea	   *bytes = PG_GETARG_BYTEA_PP(0);

			(void) check_flat((const unsigned char *) VARDATA_ANY(bytes), VARSIZE_ANY_EXHDR(bytes));
		}
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	set = writable_set(fcinfo, 0);
	add_state(set, PG_GETARG_DATUM(1));
	PG_RETURN_DATUM(EOHPGetRWDatum(&set->hdr));
}

/* 0 for no rows, as count() does.  Reads the state only. */
PG_FUNCTION_INFO_V1(persons_final);
Datum
persons_final(PG_FUNCTION_ARGS)
{
	PersonSet  *set;
	uint32		members;

	if (PG_ARGISNULL(0))
		PG_RETURN_INT32(0);
	set = expanded_set(PG_GETARG_DATUM(0));
	if (set != NULL)
		members = set->ids->members;
	else
	{
		bytea	   *bytes = PG_GETARG_BYTEA_PP(0);

		members = check_flat((const unsigned char *) VARDATA_ANY(bytes), VARSIZE_ANY_EXHDR(bytes));
	}
	if (members > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("sroi.persons counted %u distinct ids, more than an integer holds", members)));
	PG_RETURN_INT32((int32) members);
}

/*
 * sroi 0.1's persons (upgrade/sroi--0.1.sql, frozen) keeps the same state behind
 * "internal" and names these serial functions: the flat bytes and back.
 */
PG_FUNCTION_INFO_V1(persons_serialize);
Datum
persons_serialize(PG_FUNCTION_ARGS)
{
	PersonSet  *set = expanded_set(PG_GETARG_DATUM(0));
	Size		size;
	bytea	   *result;

	if (set == NULL)
		elog(ERROR, "sroi.persons_serialize: the state is not a set of ids");
	size = EOH_get_flat_size(&set->hdr);
	result = palloc(size);
	EOH_flatten_into(&set->hdr, result, size);
	PG_RETURN_BYTEA_P(result);
}

PG_FUNCTION_INFO_V1(persons_deserialize);
Datum
persons_deserialize(PG_FUNCTION_ARGS)
{
	PersonSet  *set;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "sroi.persons state function called in a non-aggregate context");
	set = new_set(sets_context(fcinfo), 0);
	add_state(set, PG_GETARG_DATUM(0));
	PG_RETURN_DATUM(EOHPGetRWDatum(&set->hdr));
}

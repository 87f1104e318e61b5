/*
 * persons.c: sroi.persons(text), the exact number of distinct persons, as a
 * parallel aggregate (count(DISTINCT ...) cannot be split over workers).
 *
 * The state is a hash set of the distinct ids (simplehash, keyed by the id bytes) in
 * the aggregate memory context.  Every step looks its id up and copies it only when it
 * is new, so the memory follows the number of distinct persons, not of rows: a repeated
 * id costs nothing.  The copies are short varlenas packed into blocks.
 *
 * Parallel plans: combine adds the other set's ids; serialize writes the distinct ids
 * in ascending byte order (the same set always gives the same bytes) in the format of
 * src/core/persons_state.h, whose persons_state_check validates every count and length
 * against the input size before deserialize reads anything.
 */
#include "postgres.h"

#include "sroi.h"

#include "common/hashfn.h"
#include "libpq/pqformat.h"
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
	MemoryContext context;
	personhash_hash *ids;
	char	   *block_free;		/* unused part of the current block */
	Size		block_left;
	Size		block_size;		/* of the current block, 0 before the first */
} PersonSet;

static PersonSet *
new_set(FunctionCallInfo fcinfo, uint32 expected)
{
	MemoryContext aggcontext;
	PersonSet  *set;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "sroi.persons state function called in a non-aggregate context");
	set = MemoryContextAllocZero(aggcontext, sizeof(PersonSet));
	set->context = aggcontext;
	set->ids = personhash_create(aggcontext, Max(expected, 8), NULL);
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
		entry->id = copy_id(set, VARDATA_ANY(id), VARSIZE_ANY_EXHDR(id));
}

/* NULL, or a non-NULL pointer, for the state argument argno. */
static PersonSet *
state_arg(FunctionCallInfo fcinfo, int argno)
{
	return PG_ARGISNULL(argno) ? NULL : (PersonSet *) PG_GETARG_POINTER(argno);
}

PG_FUNCTION_INFO_V1(persons_step);
Datum
persons_step(PG_FUNCTION_ARGS)
{
	PersonSet  *set = state_arg(fcinfo, 0);

	if (set == NULL)
		set = new_set(fcinfo, 0);
	if (!PG_ARGISNULL(1))
	{
		text	   *id = PG_GETARG_TEXT_PP(1);

		add_id(set, (struct varlena *) id);
	}
	PG_RETURN_POINTER(set);
}

/* Adds the other set's ids to the first; the second argument is left as it is. */
PG_FUNCTION_INFO_V1(persons_combine);
Datum
persons_combine(PG_FUNCTION_ARGS)
{
	PersonSet  *set = state_arg(fcinfo, 0);
	PersonSet  *other = state_arg(fcinfo, 1);
	personhash_iterator it;
	PersonEntry *entry;

	if (other == NULL)
	{
		if (set == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(set);
	}
	if (set == NULL)
		set = new_set(fcinfo, other->ids->members);
	personhash_start_iterate(other->ids, &it);
	while ((entry = personhash_iterate(other->ids, &it)) != NULL)
		add_id(set, entry->id);
	PG_RETURN_POINTER(set);
}

/* 0 for no rows, as count() does.  Reads the set only. */
PG_FUNCTION_INFO_V1(persons_final);
Datum
persons_final(PG_FUNCTION_ARGS)
{
	PersonSet  *set = state_arg(fcinfo, 0);
	uint32		members = set == NULL ? 0 : set->ids->members;

	if (members > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("sroi.persons counted %u distinct ids, more than an integer holds", members)));
	PG_RETURN_INT32((int32) members);
}

static int
compare_entries(const void *a, const void *b)
{
	const struct varlena *x = (*(PersonEntry *const *) a)->id;
	const struct varlena *y = (*(PersonEntry *const *) b)->id;

	return persons_id_compare((const unsigned char *) VARDATA_ANY(x), VARSIZE_ANY_EXHDR(x),
							  (const unsigned char *) VARDATA_ANY(y), VARSIZE_ANY_EXHDR(y));
}

/* The distinct ids in ascending byte order; no state (no rows) is the empty set. */
PG_FUNCTION_INFO_V1(persons_serialize);
Datum
persons_serialize(PG_FUNCTION_ARGS)
{
	PersonSet  *set = state_arg(fcinfo, 0);
	uint32		count = set == NULL ? 0 : set->ids->members;
	PersonEntry **sorted = NULL;
	StringInfoData buf;

	if (count > 0)
	{
		personhash_iterator it;
		PersonEntry *entry;
		uint32		n = 0;

		sorted = MemoryContextAllocHuge(CurrentMemoryContext, (Size) count * sizeof(PersonEntry *));
		personhash_start_iterate(set->ids, &it);
		while ((entry = personhash_iterate(set->ids, &it)) != NULL && n < count)
			sorted[n++] = entry;
		Assert(n == count);
		qsort(sorted, n, sizeof(PersonEntry *), compare_entries);
	}
	pq_begintypsend(&buf);
	pq_sendint32(&buf, count);
	for (uint32 i = 0; i < count; i++)
	{
		const struct varlena *id = sorted[i]->id;

		pq_sendint32(&buf, VARSIZE_ANY_EXHDR(id));
		pq_sendbytes(&buf, VARDATA_ANY(id), VARSIZE_ANY_EXHDR(id));
	}
	if (sorted != NULL)
		pfree(sorted);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(persons_deserialize);
Datum
persons_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	const unsigned char *data = (const unsigned char *) VARDATA_ANY(bytes);
	Size		size = VARSIZE_ANY_EXHDR(bytes);
	uint32		count = 0;
	uint32		index = 0;
	Size		at = 4;
	PersonSet  *set;

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

	/*
	 * Valid: count distinct ids, each a length and that many bytes within
	 * data[0..size).  Being distinct, each is copied once and inserted.
	 */
	set = new_set(fcinfo, count);
	for (uint32 i = 0; i < count; i++)
	{
		uint32		length = persons_state_uint32(data + at);
		bool		found;

		(void) personhash_insert(set->ids, copy_id(set, (const char *) data + at + 4, length), &found);
		Assert(!found);
		at += 4 + (Size) length;
	}
	PG_RETURN_POINTER(set);
}

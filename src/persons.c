/*
 * persons.c: sroi.persons(text), the exact number of distinct persons, as a
 * parallel aggregate (count(DISTINCT ...) cannot be split over workers).
 *
 * The state is an array of the ids seen, in the aggregate context; when it is
 * full it is sorted and deduplicated before it grows, so it holds about as many
 * ids as there are distinct persons.  Serialized as a count and length-prefixed ids.
 */
#include "sroi.h"

#include "libpq/pqformat.h"
#include "utils/builtins.h"

typedef struct PersonSet
{
	int			count;
	int			capacity;
	char	  **ids;
	MemoryContext context;
} PersonSet;

static PersonSet *
new_set(FunctionCallInfo fcinfo)
{
	MemoryContext aggcontext;
	PersonSet  *set;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "sroi.persons state function called in a non-aggregate context");
	set = MemoryContextAllocZero(aggcontext, sizeof(PersonSet));
	set->context = aggcontext;
	set->capacity = 64;
	set->ids = MemoryContextAlloc(aggcontext, set->capacity * sizeof(char *));
	return set;
}

static int
compare_ids(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Sorts the ids and drops the repeats; returns the number left. */
static int
sort_unique(PersonSet *set)
{
	int			kept = 0;

	if (set->count == 0)
		return 0;
	qsort(set->ids, set->count, sizeof(char *), compare_ids);
	for (int i = 1; i < set->count; i++)
		if (strcmp(set->ids[i], set->ids[kept]) != 0)
			set->ids[++kept] = set->ids[i];
	set->count = kept + 1;
	return set->count;
}

static void
add_id(PersonSet *set, const char *id, int length)
{
	char	   *copy;

	if (set->count == set->capacity)
	{
		/* Grow only when deduplicating leaves the array more than half full. */
		if (sort_unique(set) * 2 > set->capacity)
		{
			set->capacity *= 2;
			set->ids = repalloc(set->ids, set->capacity * sizeof(char *));
		}
	}
	copy = MemoryContextAlloc(set->context, length + 1);
	memcpy(copy, id, length);
	copy[length] = '\0';
	set->ids[set->count++] = copy;
}

PG_FUNCTION_INFO_V1(persons_step);
Datum
persons_step(PG_FUNCTION_ARGS)
{
	PersonSet  *set = PG_ARGISNULL(0) ? new_set(fcinfo) : (PersonSet *) PG_GETARG_POINTER(0);

	if (!PG_ARGISNULL(1))
	{
		text	   *id = PG_GETARG_TEXT_PP(1);

		add_id(set, VARDATA_ANY(id), VARSIZE_ANY_EXHDR(id));
	}
	PG_RETURN_POINTER(set);
}

PG_FUNCTION_INFO_V1(persons_combine);
Datum
persons_combine(PG_FUNCTION_ARGS)
{
	PersonSet  *set = PG_ARGISNULL(0) ? NULL : (PersonSet *) PG_GETARG_POINTER(0);
	PersonSet  *other = PG_ARGISNULL(1) ? NULL : (PersonSet *) PG_GETARG_POINTER(1);

	if (other == NULL)
		PG_RETURN_POINTER(set);
	if (set == NULL)
		set = new_set(fcinfo);
	for (int i = 0; i < other->count; i++)
		add_id(set, other->ids[i], strlen(other->ids[i]));
	PG_RETURN_POINTER(set);
}

/* 0 for no rows, as count() does. */
PG_FUNCTION_INFO_V1(persons_final);
Datum
persons_final(PG_FUNCTION_ARGS)
{
	PersonSet  *set = PG_ARGISNULL(0) ? NULL : (PersonSet *) PG_GETARG_POINTER(0);

	PG_RETURN_INT32(set == NULL ? 0 : sort_unique(set));
}

PG_FUNCTION_INFO_V1(persons_serialize);
Datum
persons_serialize(PG_FUNCTION_ARGS)
{
	PersonSet  *set = (PersonSet *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	sort_unique(set);
	pq_begintypsend(&buf);
	pq_sendint32(&buf, set->count);
	for (int i = 0; i < set->count; i++)
	{
		int			length = strlen(set->ids[i]);

		pq_sendint32(&buf, length);
		pq_sendbytes(&buf, set->ids[i], length);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(persons_deserialize);
Datum
persons_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	PersonSet  *set = new_set(fcinfo);
	StringInfoData buf;
	int			count;

	buf.data = VARDATA_ANY(bytes);
	buf.len = buf.maxlen = VARSIZE_ANY_EXHDR(bytes);
	buf.cursor = 0;
	count = pq_getmsgint(&buf, 4);
	for (int i = 0; i < count; i++)
	{
		int			length = pq_getmsgint(&buf, 4);

		add_id(set, pq_getmsgbytes(&buf, length), length);
	}
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(set);
}

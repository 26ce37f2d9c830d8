/* SPDX-License-Identifier: ISC */
/*
 * Small helpers of the trainer: allocation that cannot fail (a batch
 * program has nothing better to do than stop), string interning, and the
 * seeded hashes behind every random choice, so one --seed fixes them all.
 */

#include <err.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "train.h"

void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if ((p = calloc(n ? n : 1, size ? size : 1)) == NULL)
		err(1, "calloc");
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		errx(1, "allocation of %zu x %zu bytes overflows", n, size);
	if ((p = realloc(p, n * size > 0 ? n * size : 1)) == NULL)
		err(1, "realloc");
	return p;
}

char *
xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		err(1, "strdup");
	return p;
}

/* FNV-1a: stable across runs and machines, unlike a seeded table hash. */
uint64_t
hash_str(const char *s)
{
	uint64_t	h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* splitmix64 finaliser: spreads nearby inputs over all 64 bits. */
uint64_t
hash_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* A number in [0, 1) fixed by the seed and the key hash. */
double
hash_unit(uint64_t seed, uint64_t h)
{
	return (double)(hash_mix(hash_mix(seed) ^ h) >> 11) * 0x1p-53;
}

static void
strtab_rehash(struct strtab *t)
{
	size_t	i, j, mask;

	free(t->st_slot);
	t->st_nslot = t->st_nslot ? t->st_nslot * 2 : 64;
	t->st_slot = xcalloc(t->st_nslot, sizeof(*t->st_slot));
	mask = t->st_nslot - 1;

	for (i = 0; i < t->st_n; i++) {
		j = hash_str(t->st_str[i]) & mask;
		while (t->st_slot[j] != 0)
			j = (j + 1) & mask;
		t->st_slot[j] = (uint32_t)i + 1;
	}
}

/* Slot of s, or of the empty slot where it would go. */
static size_t
strtab_slot(const struct strtab *t, const char *s)
{
	size_t	mask = t->st_nslot - 1, j = hash_str(s) & mask;

	while (t->st_slot[j] != 0 &&
	    strcmp(t->st_str[t->st_slot[j] - 1], s) != 0)
		j = (j + 1) & mask;
	return j;
}

int
strtab_find(const struct strtab *t, const char *s, uint32_t *id)
{
	size_t	j;

	if (t->st_nslot == 0)
		return -1;
	j = strtab_slot(t, s);
	if (t->st_slot[j] == 0)
		return -1;
	*id = t->st_slot[j] - 1;
	return 0;
}

uint32_t
strtab_intern(struct strtab *t, const char *s)
{
	size_t	j;

	if (t->st_nslot == 0 || (t->st_n + 1) * 2 > t->st_nslot)
		strtab_rehash(t);
	j = strtab_slot(t, s);
	if (t->st_slot[j] != 0)
		return t->st_slot[j] - 1;

	if (t->st_n == UINT32_MAX - 1)
		errx(1, "more than %u distinct strings", UINT32_MAX - 1);
	if (t->st_n == t->st_cap) {
		t->st_cap = t->st_cap ? t->st_cap * 2 : 64;
		t->st_str = xreallocarray(t->st_str, t->st_cap,
		    sizeof(*t->st_str));
	}
	t->st_str[t->st_n] = xstrdup(s);
	t->st_slot[j] = (uint32_t)++t->st_n;
	return (uint32_t)t->st_n - 1;
}

void
strtab_free(struct strtab *t)
{
	size_t	i;

	for (i = 0; i < t->st_n; i++)
		free(t->st_str[i]);
	free(t->st_str);
	free(t->st_slot);
	memset(t, 0, sizeof(*t));
}

/*
 * inspect/classes.c — a column's class by its name, from
 * data/inspect/column-classes.csv (compiled in): the national norm's
 * categories (动态要闻, 通知公告 …) and how many days each may go without
 * an update.  The table is read once per process and kept.
 */
#include "inspect/inspect_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* The class table, compiled in from the data file. */
__asm__(".section .rodata\n"
	".global kp_inspect_classes_csv\n"
	"kp_inspect_classes_csv:\n"
	".incbin \"data/inspect/column-classes.csv\"\n"
	".byte 0\n"
	".previous\n");
extern const char kp_inspect_classes_csv[];

typedef struct cls {
	char *name;
	int days;
	char **pat;
	size_t npat;
	char **except;        /* words that are not this class's patterns */
	size_t nexcept;
} cls;

/* The '|'-separated words of s, each malloc'd, into *v. */
static void split_words(const char *s, char ***v, size_t *n)
{
	char *w = kp_xstrdup(s), *save = NULL;
	*v = NULL;
	*n = 0;
	for (char *t = strtok_r(w, "|", &save); t; t = strtok_r(NULL, "|", &save)) {
		*v = kp_xrealloc(*v, (*n + 1) * sizeof(char *));
		(*v)[(*n)++] = kp_xstrdup(t);
	}
	free(w);
}

/* Loaded once per process (pthread_once), on the first question, and
 * kept: inspections on several threads read it at the same time, and
 * none may free it under another. */
static cls *classes;
static size_t nclasses;
static pthread_once_t classes_once = PTHREAD_ONCE_INIT;

static void load_classes_once(void)
{
	kp_csv csv;
	kp_err e;
	kp_csv_init(&csv, "data/inspect/column-classes.csv", kp_inspect_classes_csv,
		    strlen(kp_inspect_classes_csv), ',');
	while (kp_csv_next(&csv, &e) == 1) {
		if (csv.nfields < 3 || csv.fields[0][0] == '#' ||
		    !strcmp(csv.fields[0], "class"))
			continue;
		classes = kp_xrealloc(classes, (nclasses + 1) * sizeof(*classes));
		cls *c = &classes[nclasses++];
		c->name = kp_xstrdup(csv.fields[0]);
		c->days = (int)kp_digits(csv.fields[1],
					 csv.fields[1] + strlen(csv.fields[1]),
					 100000);
		split_words(csv.fields[2], &c->pat, &c->npat);
		split_words(csv.nfields > 3 ? csv.fields[3] : "", &c->except,
			    &c->nexcept);
	}
	kp_csv_release(&csv);
}

static void load_classes(void)
{
	pthread_once(&classes_once, load_classes_once);
}

const char *kp_inspect_column_class(const char *name)
{
	load_classes();
	for (size_t i = 0; i < nclasses; i++) {
		const cls *c = &classes[i];
		char *masked = NULL;
		const char *n = name;
		/* the class's exceptions blanked out first */
		for (size_t k = 0; k < c->nexcept; k++) {
			char *p;
			size_t el = strlen(c->except[k]);
			if (!strstr(n, c->except[k]))
				continue;
			if (!masked)
				n = masked = kp_xstrdup(name);
			while ((p = strstr(masked, c->except[k])))
				memset(p, '\x01', el);
		}
		bool hit = false;
		for (size_t k = 0; k < c->npat && !hit; k++)
			hit = strstr(n, c->pat[k]) != NULL;
		free(masked);
		if (hit)
			return c->name;
	}
	return "其他";
}

int kp_inspect_class_stale_days(const char *c)
{
	load_classes();
	for (size_t i = 0; i < nclasses; i++)
		if (!strcmp(classes[i].name, c))
			return classes[i].days;
	return 365;
}


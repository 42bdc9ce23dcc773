/*
 * bench/extract.c — the inspector's per-page CPU: kp_inspect_html_extract
 * (tokenizer, extractor, content checks) over the first N pages of a
 * benchmark site written by `sitegen write DIR N`, R rounds, CPU time per
 * page — as the crawler extracts a page that is not the homepage (no
 * footer text: d.no_blocks).  It prints an identity line (links, items, text
 * bytes, content hits, a hash of the hits' values) that a faster version
 * must print unchanged.  Built and run by bench/extract.sh.
 *
 *	extract DIR N R
 */
#include "inspect/inspect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: extract DIR N R\n");
		return 2;
	}
	int n = atoi(argv[2]), rounds = atoi(argv[3]), got = 0;
	kp_buf *pages = calloc((size_t)n, sizeof(*pages));
	kp_inspect_date as_of = kp_inspect_date_parse("2024-06-30");
	kp_err e;
	/* pages p0 … in the site's sections s0 … (page i is in section i % 10
	 * of write_site's layout: try each) */
	for (int i = 0; got < n && i < n * 4; i++) {
		char p[4096];
		for (int s = 0; s < 64; s++) {
			snprintf(p, sizeof(p), "%s/s%d/p%d.html", argv[1], s, i);
			kp_buf_init(&pages[got], 1 << 20);
			if (kp_read_file(p, 1 << 20, &pages[got], &e) == 0) {
				got++;
				break;
			}
			kp_buf_release(&pages[got]);
		}
	}
	if (!got) {
		fprintf(stderr, "no pages in %s\n", argv[1]);
		return 1;
	}
	unsigned long long links = 0, items = 0, text = 0, hits = 0, hash = 1469598103934665603ULL;
	double t0 = cpu();
	for (int r = 0; r < rounds; r++)
		for (int i = 0; i < got; i++) {
			kp_inspect_doc d;
			kp_inspect_doc_init(&d);
#ifndef KP_BENCH_BEFORE_NO_BLOCKS
			d.no_blocks = true;   /* as crawl_workers.c does */
#endif
			kp_inspect_html_extract(pages[i].data, pages[i].len, as_of, 0, &d);
			if (r == 0) {
				links += d.nlinks;
				items += d.nitems;
				text += d.text.len;
				hits += d.nhits;
				for (size_t k = 0; k < d.nhits; k++)
					for (const char *c = d.hits[k].value; *c; c++)
						hash = (hash ^ (unsigned char)*c) * 1099511628211ULL;
			}
			kp_inspect_doc_release(&d);
		}
	double t = cpu() - t0;
	printf("pages %d x %d rounds: %.2f us/page (CPU)\n", got, rounds,
	       t * 1e6 / ((double)got * rounds));
	printf("identity: links %llu items %llu text %llu hits %llu hash %016llx\n",
	       links, items, text, hits, hash);
	for (int i = 0; i < got; i++)
		kp_buf_release(&pages[i]);
	free(pages);
	return 0;
}

/*
 * base — the few primitives every kaoping subsystem shares.
 *
 * Errors.  A function that can fail returns an int: 0 (or a count) on
 * success, -1 on failure, after filling a kp_err with one sentence in
 * Chinese that names what failed and where ("data/x.csv:12: …").  Only the
 * command layer (src/cli) prints the message and chooses the exit status,
 * from kp_err.code.  A module never prints and never exits.
 *
 * Ownership.  Functions named x_init set up a caller-owned struct,
 * x_release frees what it owns (the struct itself stays, zeroed, reusable),
 * the _free verb frees a heap object made by the module's _new or _load.  A const
 * char * returned by a module is borrowed: it lives as long as the object
 * it came from.  A char * returned by a function whose name contains "dup"
 * or "detach" is the caller's to free().
 *
 * Growable buffer.  kp_buf holds bytes; data is always NUL-terminated when
 * non-NULL, so it can be used as a C string when it holds text.  Every
 * buffer has a size cap chosen by its user (bytes from outside — files,
 * pages, cells — must never grow without bound); growing past it fails
 * with KP_ETOOBIG instead of exhausting memory.
 *
 * Numbers.  Points are exact: kp_num is a reduced fraction of two int64s,
 * so 2.5, 0.1 × 3 and 75 × 4/3 are exact and comparisons never drift.  Only
 * display rounds (to two decimals, half up).  Overflow is detected and
 * reported, never wrapped.
 *
 * One header, several files.  base is small enough to read as one
 * vocabulary, so every subsystem includes this one header; the code is
 * split by topic: err.c (errors, allocation), buf.c, file.c (reading,
 * the atomic writer), text.c (UTF-8, GB18030, trimming, lists), csv.c,
 * num.c (exact numbers), json.c (numbers as JSON), date.c (days), hash.c
 * (FNV-1a) and map.c (string → index).
 */
#ifndef KP_BASE_H
#define KP_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- errors ---------------------------------------------------------- */

enum kp_errcode {
	KP_OK = 0,
	KP_EINPUT,    /* the user's input is wrong: exit status 2 */
	KP_ETOOBIG,   /* input over a size cap: exit status 2 */
	KP_EIO,       /* the system failed us (disk, permissions): status 2 */
	KP_ENOMEM,    /* out of memory */
	KP_EINTERNAL, /* a bug in kaoping */
};

/* Where the error is travels beside the message, so that no caller parses
 * "file:line: " or "第N行: " back out of msg: file ("" when none said),
 * line (0 when none) and reason, the offset in msg where the sentence
 * after the location prefix starts (kp_err_reason).  Every kp_fail* sets
 * all fields. */
typedef struct kp_err {
	int code;
	char file[256];   /* file name as given to kp_fail_at; "" otherwise */
	size_t line;      /* line, row or record number; 0 when none */
	size_t reason;    /* msg + reason is the message without "where: " */
	char msg[1024];
} kp_err;

/* Fill e (if not NULL) and return -1.  printf-style.  file "", line 0. */
int kp_fail(kp_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Same, prefixed with "file:line: " (line 0: just "file: "); e->file and
 * e->line are set too. */
int kp_fail_at(kp_err *e, int code, const char *file, size_t line,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* For a module that knows the line but not the file name (the caller
 * does): msg "第N行: why", e->line N, e->file "".  A caller that knows
 * the file prints "file:N: " and kp_err_reason(e). */
int kp_fail_line(kp_err *e, int code, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The message without its location prefix ("why" of "file:N: why"). */
const char *kp_err_reason(const kp_err *e);

/* Allocation that aborts with a message on exhaustion: kaoping treats
 * running out of memory as fatal, like git's xmalloc. */
void *kp_xmalloc(size_t n);
void *kp_xcalloc(size_t n, size_t size);
void *kp_xrealloc(void *p, size_t n);
char *kp_xstrdup(const char *s);
char *kp_xstrndup(const char *s, size_t n);

/* ---- growable buffer ------------------------------------------------- */

typedef struct kp_buf {
	char *data;   /* NULL or NUL-terminated */
	size_t len;   /* bytes used, not counting the NUL */
	size_t cap;   /* bytes allocated */
	size_t max;   /* cap on len; 0 means KP_BUF_DEFAULT_MAX */
} kp_buf;

#define KP_BUF_DEFAULT_MAX ((size_t)64 << 20)
#define KP_BUF_INIT { NULL, 0, 0, 0 }

void kp_buf_init(kp_buf *b, size_t max);
void kp_buf_release(kp_buf *b);
void kp_buf_reset(kp_buf *b);                  /* len = 0, keeps memory */
int kp_buf_add(kp_buf *b, const void *p, size_t n);  /* -1 past max */
int kp_buf_adds(kp_buf *b, const char *s);
int kp_buf_addc(kp_buf *b, char c);
/* Room for extra more bytes after len (len unchanged); -1 past max.  For
 * writing into data + len directly, then moving len. */
int kp_buf_reserve(kp_buf *b, size_t extra);
int kp_buf_addf(kp_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int kp_buf_vaddf(kp_buf *b, const char *fmt, va_list ap);
char *kp_buf_detach(kp_buf *b);                /* caller frees; b reset */

/* ---- files ----------------------------------------------------------- */

/* Read a whole file into out (initialised by the caller) refusing files
 * over max bytes.  Errors name the path. */
int kp_read_file(const char *path, size_t max, kp_buf *out, kp_err *e);

/* Write data to path atomically: a temporary file in the same directory,
 * fsync, rename (then fsync of the directory).  A crash leaves either the
 * old file or the new one.  path "-" writes to standard output.
 *
 * What is replaced must be a regular file (or nothing yet): a directory,
 * a device (-o /dev/full), a FIFO, a socket or a symbolic link as the
 * target is refused with KP_EINPUT, naming the path, and nothing is
 * written.  A target that exists keeps its permission bits (a 0600
 * ledger stays 0600); a new file gets 0666 less the umask, as fopen's. */
int kp_write_atomic(const char *path, const void *data, size_t n, kp_err *e);

/* Make directory dir when it does not exist (0777 less the umask); an
 * existing directory is fine, anything else there is refused with
 * KP_EINPUT ("不是目录"), and a directory that cannot be made with KP_EIO. */
int kp_dir_make(const char *dir, kp_err *e);

/* The same for writers that write a path themselves (libxlsxwriter) or
 * stream: kp_atomic_begin checks path as kp_write_atomic does and creates
 * the temporary file (mode already set), giving its name in a->tmp and an
 * open stream in a->fp (NULL for "-": write to stdout yourself, or use
 * a->fp == NULL to know).  Then either write through a->fp — or close it
 * with kp_atomic_close_fp and let a library write a->tmp — and call
 * kp_atomic_commit (flush, fsync, rename; the temporary file is gone
 * either way) or kp_atomic_abort (unlink).  Both release a. */
typedef struct kp_atomic {
	char *path;     /* owned copy of the target */
	char *tmp;      /* owned: the temporary file's path; NULL for "-" */
	FILE *fp;       /* open on tmp, or NULL (closed, or "-") */
	unsigned mode;  /* permission bits the result gets */
} kp_atomic;

int kp_atomic_begin(kp_atomic *a, const char *path, kp_err *e);
/* kp_atomic_begin for a library that writes a file by its name
 * (libxlsxwriter): the stream is closed, so a->tmp is the name to give
 * the library, and "-" is refused with KP_EINPUT ("what 不能写到标准输出"),
 * since such a file cannot be streamed. */
int kp_atomic_begin_named(kp_atomic *a, const char *path, const char *what,
			  kp_err *e);
void kp_atomic_close_fp(kp_atomic *a);
int kp_atomic_commit(kp_atomic *a, kp_err *e);
void kp_atomic_abort(kp_atomic *a);

/* ---- text ------------------------------------------------------------ */

/* Length of the valid UTF-8 prefix of p[0..n); == n when all valid. */
size_t kp_utf8_valid_prefix(const char *p, size_t n);
/* Convert GB18030 (a superset of GBK and GB2312) to UTF-8.  Fails with the
 * byte offset of the first sequence that is not GB18030. */
int kp_gb18030_to_utf8(const char *p, size_t n, kp_buf *out, kp_err *e);
/* Trim ASCII white space, U+3000 (ideographic space) and U+00A0 from
 * both ends, in place; returns s. */
char *kp_trim(char *s);
/* What kp_trim would keep of s[0..n) without moving it: its start (in s)
 * and its length in *len.  s[n] must be readable and not white space
 * (a NUL, as kp_buf keeps). */
const char *kp_trim_span(const char *s, size_t n, size_t *len);
/* Remove every white-space character (ASCII, U+3000, U+00A0) inside s, in
 * place: PDF and Word extraction wrap Chinese text with stray spaces. */
char *kp_squeeze(char *s);
/* Terminal display width: a Chinese character is two columns. */
size_t kp_utf8_width(const char *s);

/* Lists in cells are written with '、' (or ','): "市财政局、市发展改革委".
 * kp_list_next returns the next item of the writable string at *cursor,
 * trimmed and NUL-terminated in place (empty items skipped), or NULL at
 * the end.  kp_list_each calls fn on each item of a copy of list and stops
 * at, and returns, the first non-zero return of fn. */
char *kp_list_next(char **cursor);
int kp_list_each(const char *list, int (*fn)(void *, const char *),
		 void *arg);

/* The unsigned decimal at the start of p[0..end) — bytes from outside, not
 * necessarily NUL-terminated — capped at max.  Stops at the first
 * non-digit.  Returns -1 when there is no digit.  (atoi is banned: it
 * reads past unterminated buffers and turns garbage into 0.) */
long kp_digits(const char *p, const char *end, long max);

/* ---- CSV ------------------------------------------------------------- */

/* An RFC 4180 reader over a buffer the caller keeps alive.  A UTF-8 BOM is
 * skipped; LF and CRLF both end records; quoted fields may contain the
 * separator, "" and newlines.  kp_csv_next fills row with pointers into
 * the reader's own storage, valid until the next call. */
typedef struct kp_csv {
	const char *p, *end;
	char sep;
	size_t line;       /* line number where the next record starts */
	size_t row_line;   /* line number where the last record started */
	kp_buf store;      /* field bytes, NUL-separated */
	size_t *offs;      /* field offsets into store */
	size_t nfields, cap_fields;
	const char **fields;
	const char *file;  /* for messages; borrowed */
} kp_csv;

#define KP_CSV_MAX_FIELDS 256

void kp_csv_init(kp_csv *c, const char *file, const char *data, size_t n,
		 char sep);
void kp_csv_release(kp_csv *c);
/* 1: a record is in c->fields[0..c->nfields); 0: end; -1: error. */
int kp_csv_next(kp_csv *c, kp_err *e);

/* Append s as one CSV field (quoted only when it must be). */
int kp_csv_put(kp_buf *b, const char *s);

/* ---- exact numbers --------------------------------------------------- */

typedef struct kp_num {
	int64_t n;   /* numerator, carries the sign */
	int64_t d;   /* denominator, > 0; fraction kept reduced */
} kp_num;

#define KP_NUM_LIMIT 1000000000000LL  /* |value| above this is refused */

kp_num kp_num_int(int64_t v);
/* Parse a decimal such as "30", "2.5", "-0.125", "80%" (→ 0.8) or a
 * fraction "4/3".  White space around it is allowed.  Returns -1 for
 * anything else. */
int kp_num_parse(const char *s, kp_num *out);
/* Arithmetic: returns -1 on overflow (result untouched). */
int kp_num_add(kp_num a, kp_num b, kp_num *r);
int kp_num_sub(kp_num a, kp_num b, kp_num *r);
int kp_num_mul(kp_num a, kp_num b, kp_num *r);
int kp_num_div(kp_num a, kp_num b, kp_num *r);  /* -1 also for b == 0 */
int kp_num_cmp(kp_num a, kp_num b);
bool kp_num_is_zero(kp_num a);
/* Exact decimal when it terminates within 6 places ("2.5", "30",
 * "0.125"), otherwise rounded to 2 places half up.  buf >= 32 bytes. */
const char *kp_num_str(kp_num a, char *buf);
/* Always two decimals, half up: "7.50", "26.67". */
const char *kp_num_fmt2(kp_num a, char *buf);
/* Nearest double, for JSON output only (never compute with it). */
double kp_num_double(kp_num a);

/* ---- numbers as JSON ------------------------------------------------- *
 *
 * The one place a kp_num becomes JSON.  kp_num_json gives a JSON number:
 * an integer as a JSON integer (30, not 30.0), otherwise the number
 * kp_num_str writes — the exact decimal when it ends within 6 places
 * (2.5, 0.125), else rounded to 2 places half up (4/3 → 1.33) — as a
 * JSON real.  Every number a program reads from kaoping's JSON (results,
 * sheets, rankings, tables, ledgers) goes through it, so 82 and 7.5 are
 * numbers, never the display strings "82.00" and "7.50" (those are
 * kp_num_fmt2's, for people).  New reference, caller json_decref (NULL
 * only when out of memory).  jansson prints reals
 * with 17 significant digits unless told: dump with
 * JSON_REAL_PRECISION(15) to print 1.33, not 1.3300000000000001. */
struct json_t;
struct json_t *kp_num_json(kp_num a);

/* ---- dates ----------------------------------------------------------- *
 *
 * A kp_date is a day: days since 1970-01-01 (proleptic Gregorian), in an
 * int32_t, with 0 meaning "no date" (KP_DATE_NONE) — the same
 * representation as the inspector's kp_inspect_date.  1970-01-01 itself
 * is therefore not representable; dates are 1900-01-01 … 2199-12-31. */
typedef int32_t kp_date;

#define KP_DATE_NONE 0
#define KP_DATE_MIN_YEAR 1900
#define KP_DATE_MAX_YEAR 2199

bool kp_date_valid_ymd(int y, int m, int d);   /* a real day in range */
int kp_date_days_in_month(int y, int m);
/* The day, or KP_DATE_NONE when y-m-d is not a real day in range. */
kp_date kp_date_from_ymd(int y, int m, int d);
void kp_date_ymd(kp_date d, int *y, int *m, int *dd);   /* d != NONE */
int kp_date_weekday(kp_date d);                 /* 1 Monday … 7 Sunday */
/* d + n days; KP_DATE_NONE stays NONE, and a result out of range (or
 * landing on 1970-01-01) is NONE. */
kp_date kp_date_add_days(kp_date d, int n);
/* The forms offices write: "2017-07-03", "2017/7/3", "2017.7.3",
 * "2017年7月3日" (separators may mix; 日 may be left out), "20170703";
 * spaces around it; a time of day may follow after a space or 'T'
 * ("2017-07-03 10:30", "…T10:30:05"), checked (hour 0–23, minute and
 * second 0–59: "25:00" is refused) and dropped.  Returns 0 and *out, or
 * -1 (out untouched) for anything else. */
int kp_date_parse(const char *s, kp_date *out);
/* "2017-07-03"; "" for KP_DATE_NONE.  buf >= KP_DATE_STRLEN. */
#define KP_DATE_STRLEN 16
const char *kp_date_str(kp_date d, char *buf);
/* A stored time "YYYY-MM-DDTHH:MM:SS[.…]Z" (UTC) as a person reads it,
 * in Beijing time: "YYYY-MM-DD HH:MM:SS+08:00", into buf (n >= 32); any
 * other text is copied as it is.  Returns buf. */
const char *kp_time_bj(const char *utc, char *buf, size_t n);

/* ---- hashing --------------------------------------------------------- */

/* FNV-1a, 64 bits, of p[0..n): a fingerprint and a hash-table hash, not
 * a defence.  kp_hash_fnv1a_more continues from h (start with
 * KP_FNV1A_INIT) for data in pieces. */
#define KP_FNV1A_INIT 0xcbf29ce484222325ULL
uint64_t kp_hash_fnv1a(const void *p, size_t n);
uint64_t kp_hash_fnv1a_more(uint64_t h, const void *p, size_t n);
/* kp_hash_fnv1a_more over the string s and its terminating zero, read
 * once (no strlen first). */
uint64_t kp_hash_fnv1a_str(uint64_t h, const char *s);

/* ---- string-to-index map --------------------------------------------- *
 *
 * kp_map maps strings to size_t values (an index into the caller's own
 * array), by open addressing with linear probing on kp_hash_fnv1a.
 * Keys are BORROWED: the map keeps the pointer and the length, never a
 * copy, so the key bytes must stay alive and unchanged as long as the
 * map (keys are usually strings of the table or list being indexed).
 * Keys need not be NUL-terminated (kp_map_putn/getn take a length).
 * There is no removal.  Memory is the caller's: kp_map_init, then
 * kp_map_release. */
typedef struct kp_map_slot {
	const char *key;   /* NULL: empty */
	size_t len;
	uint64_t hash;
	size_t val;
} kp_map_slot;

typedef struct kp_map {
	kp_map_slot *slots;
	size_t cap;        /* 0 or a power of two */
	size_t n;          /* keys held */
} kp_map;

#define KP_MAP_INIT { NULL, 0, 0 }

void kp_map_init(kp_map *m);
void kp_map_release(kp_map *m);
/* Set key → val.  Returns 1 when the key is new, 0 when its value was
 * replaced (*old, may be NULL, gets the previous value). */
int kp_map_put(kp_map *m, const char *key, size_t val, size_t *old);
int kp_map_putn(kp_map *m, const char *key, size_t len, size_t val,
		size_t *old);
/* Add key → val only when the key is absent: returns 1 (added) or 0
 * (present; *val_out, may be NULL, gets the value held). */
int kp_map_add(kp_map *m, const char *key, size_t val, size_t *val_out);
bool kp_map_get(const kp_map *m, const char *key, size_t *val);
bool kp_map_getn(const kp_map *m, const char *key, size_t len, size_t *val);

#endif

/* base/file.c — reading and atomically writing files; contracts in base.h. */
#include "base/base.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- files ----------------------------------------------------------- */

int kp_read_file(const char *path, size_t max, kp_buf *out, kp_err *e)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc = -1;
	if (fd < 0)
		return kp_fail(e, errno == ENOENT ? KP_EINPUT : KP_EIO,
			       "%s: 无法打开文件：%s", path,
			       errno == ENOENT ? "文件不存在" : strerror(errno));
	if (fstat(fd, &st) < 0) {
		kp_fail(e, KP_EIO, "%s: 无法读取文件信息：%s", path,
			strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		kp_fail(e, KP_EINPUT, "%s: 这是一个目录，不是文件", path);
		goto out;
	}
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max) {
		kp_fail(e, KP_ETOOBIG,
			"%s: 文件过大（%.1f MB，上限 %.1f MB）", path,
			(double)st.st_size / 1048576.0, (double)max / 1048576.0);
		goto out;
	}
	out->max = max;
	for (;;) {
		char chunk[65536];
		ssize_t k = read(fd, chunk, sizeof(chunk));
		if (k < 0) {
			if (errno == EINTR)
				continue;
			kp_fail(e, KP_EIO, "%s: 读取失败：%s", path,
				strerror(errno));
			goto out;
		}
		if (k == 0)
			break;
		if (kp_buf_add(out, chunk, (size_t)k) < 0) {
			kp_fail(e, KP_ETOOBIG, "%s: 文件过大（上限 %.1f MB）",
				path, (double)max / 1048576.0);
			goto out;
		}
	}
	if (!out->data)
		kp_buf_add(out, "", 0);
	rc = 0;
out:
	close(fd);
	return rc;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* What path is now: 0 and *exists and *mode when it is a regular file or
 * nothing; -1 (e says why, naming path) for anything else. */
static int target_ok(const char *path, bool *exists, unsigned *mode,
		     kp_err *e)
{
	struct stat st;
	const char *what = NULL;
	*exists = false;
	*mode = 0;
	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		return kp_fail(e, KP_EIO, "%s: 无法查看目标文件：%s", path,
			       strerror(errno));
	}
	if (S_ISLNK(st.st_mode))
		what = "是符号链接";
	else if (S_ISDIR(st.st_mode))
		what = "是目录";
	else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
		what = "是设备文件";
	else if (S_ISFIFO(st.st_mode))
		what = "是命名管道（FIFO）";
	else if (S_ISSOCK(st.st_mode))
		what = "是套接字";
	else if (!S_ISREG(st.st_mode))
		what = "不是普通文件";
	if (what)
		return kp_fail(e, KP_EINPUT,
			       "%s: 目标%s，不能用写出的文件替换它（未写入任何内容；请写到普通文件）",
			       path, what);
	*exists = true;
	*mode = (unsigned)(st.st_mode & 07777);
	return 0;
}

/* Create the temporary file beside path: open, mode set.  -1 with e. */
static int tmp_create(const char *path, bool exists, unsigned mode,
		      char **tmp_out, kp_err *e)
{
	static _Atomic unsigned seq;
	kp_buf tmp = KP_BUF_INIT;
	int fd;
	kp_buf_addf(&tmp, "%s.tmp.%ld.%u", path, (long)getpid(), seq++);
	/* a new file: 0666 less the umask, as fopen would make it */
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0) {
		kp_fail(e, KP_EIO, "%s: 无法创建文件：%s", path,
			strerror(errno));
		kp_buf_release(&tmp);
		return -1;
	}
	if (exists && fchmod(fd, (mode_t)mode) < 0) {
		kp_fail(e, KP_EIO, "%s: 无法设置权限：%s", path,
			strerror(errno));
		close(fd);
		unlink(tmp.data);
		kp_buf_release(&tmp);
		return -1;
	}
	*tmp_out = kp_buf_detach(&tmp);
	return fd;
}

/* After the rename: make the directory entry durable (best effort). */
static void sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? kp_xstrndup(path, slash == path ? 1 :
					 (size_t)(slash - path))
			  : kp_xstrdup(".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/* fsync and close fd (already written), then rename tmp over path. */
static int tmp_finish(int fd, const char *tmp, const char *path, kp_err *e)
{
	if (fsync(fd) < 0) {
		kp_fail(e, KP_EIO, "%s: 写入失败：%s", path, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		kp_fail(e, KP_EIO, "%s: 写入失败：%s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	sync_dir(path);
	return 0;
}

int kp_write_atomic(const char *path, const void *data, size_t n, kp_err *e)
{
	char *tmp = NULL;
	bool exists;
	unsigned mode;
	int fd, rc;
	if (!strcmp(path, "-")) {
		if (fwrite(data, 1, n, stdout) != n || fflush(stdout) != 0)
			return kp_fail(e, KP_EIO, "写标准输出失败：%s",
				       strerror(errno));
		return 0;
	}
	if (target_ok(path, &exists, &mode, e) < 0)
		return -1;
	fd = tmp_create(path, exists, mode, &tmp, e);
	if (fd < 0)
		return -1;
	if (write_all(fd, data, n) < 0) {
		kp_fail(e, KP_EIO, "%s: 写入失败：%s", path, strerror(errno));
		close(fd);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	rc = tmp_finish(fd, tmp, path, e);
	free(tmp);
	return rc;
}

int kp_dir_make(const char *dir, kp_err *e)
{
	struct stat st;
	if (stat(dir, &st) < 0) {
		if (errno != ENOENT || mkdir(dir, 0777) < 0)
			return kp_fail(e, KP_EIO, "%s: 无法创建目录：%s", dir,
				       strerror(errno));
	} else if (!S_ISDIR(st.st_mode)) {
		return kp_fail(e, KP_EINPUT, "%s: 不是目录", dir);
	}
	return 0;
}

/* ---- the streaming variant ------------------------------------------- */

static void atomic_release(kp_atomic *a)
{
	if (a->fp)
		fclose(a->fp);
	free(a->path);
	free(a->tmp);
	memset(a, 0, sizeof(*a));
}

int kp_atomic_begin(kp_atomic *a, const char *path, kp_err *e)
{
	bool exists;
	int fd;
	memset(a, 0, sizeof(*a));
	if (!strcmp(path, "-")) {
		a->path = kp_xstrdup(path);
		return 0;
	}
	if (target_ok(path, &exists, &a->mode, e) < 0)
		return -1;
	fd = tmp_create(path, exists, a->mode, &a->tmp, e);
	if (fd < 0)
		return -1;
	a->fp = fdopen(fd, "w");
	if (!a->fp) {
		kp_fail(e, KP_EIO, "%s: 无法创建文件：%s", path,
			strerror(errno));
		close(fd);
		unlink(a->tmp);
		atomic_release(a);
		return -1;
	}
	a->path = kp_xstrdup(path);
	return 0;
}

int kp_atomic_begin_named(kp_atomic *a, const char *path, const char *what,
			  kp_err *e)
{
	if (!strcmp(path, "-"))
		return kp_fail(e, KP_EINPUT,
			       "%s 不能写到标准输出，请用 -o 指定文件名", what);
	if (kp_atomic_begin(a, path, e) < 0)
		return -1;
	kp_atomic_close_fp(a);
	return 0;
}

void kp_atomic_close_fp(kp_atomic *a)
{
	if (a->fp) {
		fclose(a->fp);
		a->fp = NULL;
	}
}

int kp_atomic_commit(kp_atomic *a, kp_err *e)
{
	int fd, rc;
	if (!a->tmp) {   /* "-" */
		rc = fflush(stdout) == 0 ? 0 :
		     kp_fail(e, KP_EIO, "写标准输出失败：%s", strerror(errno));
		atomic_release(a);
		return rc;
	}
	if (a->fp) {
		if (fflush(a->fp) != 0 || ferror(a->fp)) {
			kp_fail(e, KP_EIO, "%s: 写入失败：%s", a->path,
				strerror(errno));
			kp_atomic_abort(a);
			return -1;
		}
		fd = dup(fileno(a->fp));
		kp_atomic_close_fp(a);
	} else {
		fd = open(a->tmp, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0) {
		kp_fail(e, KP_EIO, "%s: 写入失败：%s", a->path, strerror(errno));
		kp_atomic_abort(a);
		return -1;
	}
	rc = tmp_finish(fd, a->tmp, a->path, e);
	atomic_release(a);
	return rc;
}

void kp_atomic_abort(kp_atomic *a)
{
	kp_atomic_close_fp(a);
	if (a->tmp)
		unlink(a->tmp);
	atomic_release(a);
}

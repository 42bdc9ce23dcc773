/* base/file.c — reading and atomically writing files; contracts in base.h. */
#include "base/base.h"

#include <errno.h>
#include <fcntl.h>
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

int kp_write_atomic(const char *path, const void *data, size_t n, kp_err *e)
{
	kp_buf tmp = KP_BUF_INIT;
	int fd, rc = -1;
	if (!strcmp(path, "-")) {
		if (fwrite(data, 1, n, stdout) != n || fflush(stdout) != 0)
			return kp_fail(e, KP_EIO, "写标准输出失败：%s",
				       strerror(errno));
		return 0;
	}
	kp_buf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		kp_fail(e, KP_EIO, "%s: 无法创建文件：%s", path,
			strerror(errno));
		goto out;
	}
	if (write_all(fd, data, n) < 0 || fsync(fd) < 0) {
		kp_fail(e, KP_EIO, "%s: 写入失败：%s", path, strerror(errno));
		close(fd);
		unlink(tmp.data);
		goto out;
	}
	if (close(fd) < 0 || rename(tmp.data, path) < 0) {
		kp_fail(e, KP_EIO, "%s: 写入失败：%s", path, strerror(errno));
		unlink(tmp.data);
		goto out;
	}
	rc = 0;
out:
	kp_buf_release(&tmp);
	return rc;
}

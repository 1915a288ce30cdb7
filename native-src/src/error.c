/* Error messages: internal functions fill an os_err; the public API copies it into the store. */
#include "internal.h"

#include <errno.h>
#include <stdio.h>

int os_fail(os_err *e, int status, const char *fmt, ...)
{
    if (e != NULL) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
        e->status = status;
    }
    return status;
}

int os_fail_errno(os_err *e, int err, const char *what, const char *path)
{
    char buf[128];
    const char *text = strerror_r(err, buf, sizeof buf); /* GNU variant */
    int st = (err == ENOSPC || err == EDQUOT) ? OSTORE_NO_SPACE
             : (err == ENOMEM)               ? OSTORE_NO_MEMORY
                                             : OSTORE_IO;
    return os_fail(e, st, "%s %s: %s (errno %d)", what, path != NULL ? path : "", text, err);
}

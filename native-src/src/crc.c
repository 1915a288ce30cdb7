/* CRC32C (Castagnoli) through Intel ISA-L. crc32_iscsi takes and returns the raw register, without
 * the final xor; the standard CRC32C is crc32_iscsi(buf, len, 0xFFFFFFFF) ^ 0xFFFFFFFF. */
#include "internal.h"

#include <isa-l/crc.h>

uint32_t os_crc32c_begin(void) { return 0xFFFFFFFFu; }

uint32_t os_crc32c_update(uint32_t state, const void *buf, size_t len)
{
    const unsigned char *p = buf;
    /* crc32_iscsi takes an int length: feed very large buffers in pieces */
    while (len > 0) {
        size_t n = len > (1u << 30) ? (1u << 30) : len;
        state = crc32_iscsi((unsigned char *)p, (int)n, state);
        p += n;
        len -= n;
    }
    return state;
}

uint32_t os_crc32c_end(uint32_t state) { return state ^ 0xFFFFFFFFu; }

uint32_t os_crc32c(const void *buf, size_t len)
{
    return os_crc32c_end(os_crc32c_update(os_crc32c_begin(), buf, len));
}

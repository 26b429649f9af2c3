#ifndef OCITOOL_CZLIB_SHIM_H
#define OCITOOL_CZLIB_SHIM_H
#include <zlib.h>

/* inflateInit2/deflateInit2 are macros; these typed wrappers make them callable from Swift. */
static inline int ocitool_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}
static inline int ocitool_deflateInit2(z_streamp strm, int level, int windowBits) {
    return deflateInit2(strm, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}
#endif

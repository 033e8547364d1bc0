#ifndef FAIRLEAD_CZLIB_SHIM_H
#define FAIRLEAD_CZLIB_SHIM_H

#include <zlib.h>

// inflateInit2 is a macro, which Swift cannot call; windowBits 31 = a gzip stream.
static inline int fairlead_inflate_init_gzip(z_streamp stream) {
    return inflateInit2(stream, 15 + 16);
}

#endif

#ifndef BOOKEDBARBER_CZLIB_SHIM_H
#define BOOKEDBARBER_CZLIB_SHIM_H

// The system zlib, exposed to Swift as the module CZlib: crc32 checksums for log records and
// snapshots, compress2/uncompress for snapshot bodies.
#include <zlib.h>

#endif

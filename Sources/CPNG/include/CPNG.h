// libpng behind a C boundary: libpng reports errors by longjmp, which Swift cannot host, so
// this target owns setjmp/longjmp and returns an error code plus a message instead. Imported
// only by Sources/Storage/PNG.swift. This module provides no stable Swift API.
#ifndef CPNG_H
#define CPNG_H

#include <stddef.h>

enum {
    CPNG_OK = 0,
    CPNG_IO = 1,           // cannot open, read or write the file (message holds strerror)
    CPNG_NOT_PNG = 2,      // no PNG signature
    CPNG_CORRUPT = 3,      // libpng error: truncated or damaged data
    CPNG_UNSUPPORTED = 4,  // decodes, but not to 1 or 3 channels of 8 or 16 bits
};

/// A decoded image: `channels` (1 gray, 3 RGB) interleaved samples per pixel, row-major,
/// `bit_depth` 8 (bytes) or 16 (host-endian uint16). Free `samples` with cpng_free.
typedef struct {
    int width;
    int height;
    int channels;
    int bit_depth;
    void *samples;
    size_t size;
    int stored_color_type;  // the file's IHDR colour type (PNG_COLOR_TYPE_*) and bit depth,
    int stored_bit_depth;   // before any expansion
} cpng_image;

/// Decodes the PNG file at `path`. Palette is expanded to RGB, gray below 8 bits to 8 bits,
/// alpha (and tRNS) is dropped, 16-bit samples are kept; no gamma or colour conversion. Any
/// libpng warning, and any byte after the IEND chunk, makes it fail (CPNG_CORRUPT).
int cpng_read_file(const char *path, cpng_image *image, char message[256]);

/// Decodes a PNG held in memory, as cpng_read_file does.
int cpng_decode(const unsigned char *bytes, size_t count, cpng_image *image, char message[256]);

/// Writes `samples` (layout as in cpng_image) to `path`; channels 1 or 3, bit_depth 8 or 16.
int cpng_write_file(const char *path, const void *samples, int width, int height, int channels,
                    int bit_depth, char message[256]);

/// Releases the samples of a decoded image.
void cpng_free(cpng_image *image);

#endif

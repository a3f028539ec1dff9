// A small C shim over libjpeg(-turbo) for the Data module: it owns the setjmp/longjmp error
// handling (libjpeg's error_exit must not return and must not unwind Swift frames) and returns
// a status code plus a message. Imported by exactly one Swift file (Data/Codecs/JPEG.swift).
#ifndef CJPEG_H
#define CJPEG_H

#include <stddef.h>

enum {
    CJPEG_OK = 0,
    CJPEG_IO = 1,           // the file could not be opened, read or written
    CJPEG_CORRUPT = 2,      // not a JPEG, truncated or damaged data
    CJPEG_UNSUPPORTED = 3,  // a colour space other than grayscale / YCbCr / RGB
};

typedef struct {
    unsigned char *samples;  // height * width * channels bytes, rows top to bottom (malloc'ed)
    int width;
    int height;
    int channels;  // 1 (grayscale) or 3 (RGB)
} cjpeg_image;

// Decode the JPEG file at `path` to 8-bit gray or RGB; `message` receives up to 256 bytes.
int cjpeg_read_file(const char *path, cjpeg_image *image, char *message);
// Decode JPEG data held in memory.
int cjpeg_decode(const unsigned char *bytes, size_t count, cjpeg_image *image, char *message);
// Encode 8-bit samples (1 or 3 channels, interleaved) as a baseline JPEG of `quality` (1...100).
int cjpeg_write_file(const char *path, const unsigned char *samples, int width, int height, int channels,
                     int quality, char *message);
// Release the samples of a decoded image.
void cjpeg_free(cjpeg_image *image);

#endif

#include "CPNG.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

// Error handling: png_error -> on_error copies the message and longjmps to the setjmp in the
// public function that started the work; no Swift frame is ever skipped. Warnings are kept
// (the first one) and make a read fail: a warning while reading means damaged data (a header
// that does not fit its image data, extra data, bad ancillary chunks), never a usable image.
typedef struct {
    char *message;
    const unsigned char *bytes;  // memory source (cpng_decode), else NULL
    size_t count;                // bytes in memory, or the file's size
    size_t offset;
    char warning[200];  // the first libpng warning, or ""
} context;

static void on_error(png_structp png, png_const_charp text) {
    context *ctx = (context *)png_get_error_ptr(png);
    snprintf(ctx->message, 256, "%s", text);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp text) {
    context *ctx = (context *)png_get_error_ptr(png);
    if (!ctx->warning[0]) snprintf(ctx->warning, sizeof ctx->warning, "%s", text);
}

static void read_memory(png_structp png, png_bytep out, png_size_t length) {
    context *ctx = (context *)png_get_io_ptr(png);
    if (ctx->count - ctx->offset < length) png_error(png, "unexpected end of data (truncated)");
    memcpy(out, ctx->bytes + ctx->offset, length);
    ctx->offset += length;
}

static int decode(FILE *file, context *ctx, cpng_image *image) {
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, ctx, on_error, on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        snprintf(ctx->message, 256, "out of memory");
        return CPNG_IO;
    }
    unsigned char *volatile samples = NULL;
    png_bytep *volatile rows = NULL;
    if (setjmp(png_jmpbuf(png))) {
        free(samples);
        free(rows);
        png_destroy_read_struct(&png, &info, NULL);
        return CPNG_CORRUPT;
    }
    if (file) png_init_io(png, file);
    else png_set_read_fn(png, ctx, read_memory);
    png_set_sig_bytes(png, 8);
    png_read_info(png, info);
    int color = png_get_color_type(png, info);
    int depth = png_get_bit_depth(png, info);
    image->stored_color_type = color;
    image->stored_bit_depth = depth;
    if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (color & PNG_COLOR_MASK_ALPHA) png_set_strip_alpha(png);
    if (png_get_bit_depth(png, info) == 16) png_set_swap(png);  // no-op on big-endian hosts
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    int width = (int)png_get_image_width(png, info), height = (int)png_get_image_height(png, info);
    int channels = png_get_channels(png, info), bits = png_get_bit_depth(png, info);
    if ((channels != 1 && channels != 3) || (bits != 8 && bits != 16)) {
        snprintf(ctx->message, 256, "unsupported layout: %d channels of %d bits", channels, bits);
        png_destroy_read_struct(&png, &info, NULL);
        return CPNG_UNSUPPORTED;
    }
    size_t stride = png_get_rowbytes(png, info);
    // zlib expands at most about 1032:1, so the data cannot justify more than this.
    if (height > 0 && stride > (ctx->count / (size_t)height + 1) * 1100) {
        png_error(png, "declared size needs more pixel data than the stream could hold");
    }
    samples = malloc(stride * (size_t)height + 1);
    rows = malloc(sizeof(png_bytep) * (size_t)height + 1);
    if (!samples || !rows) png_error(png, "out of memory");
    for (int y = 0; y < height; y++) rows[y] = samples + stride * (size_t)y;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    if (ctx->warning[0]) {
        char text[256];
        snprintf(text, sizeof text, "libpng warning: %s", ctx->warning);
        png_error(png, text);
    }
    int trailing = file ? fgetc(file) != EOF : ctx->offset < ctx->count;
    if (trailing) png_error(png, "data after the IEND chunk");
    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    image->width = width;
    image->height = height;
    image->channels = channels;
    image->bit_depth = bits;
    image->samples = samples;
    image->size = stride * (size_t)height;
    return CPNG_OK;
}

int cpng_read_file(const char *path, cpng_image *image, char message[256]) {
    message[0] = 0;
    memset(image, 0, sizeof *image);
    FILE *file = fopen(path, "rb");
    if (!file) {
        snprintf(message, 256, "cannot open: %s", strerror(errno));
        return CPNG_IO;
    }
    unsigned char signature[8];
    size_t got = fread(signature, 1, 8, file);
    if (got != 8 || png_sig_cmp(signature, 0, 8) != 0) {
        fclose(file);
        snprintf(message, 256, "not a PNG file (no PNG signature)");
        return CPNG_NOT_PNG;
    }
    struct stat info;
    size_t size = fstat(fileno(file), &info) == 0 ? (size_t)info.st_size : 0;
    context ctx = {message, NULL, size, 0, ""};
    int status = decode(file, &ctx, image);
    fclose(file);
    return status;
}

int cpng_decode(const unsigned char *bytes, size_t count, cpng_image *image, char message[256]) {
    message[0] = 0;
    memset(image, 0, sizeof *image);
    if (count < 8 || png_sig_cmp(bytes, 0, 8) != 0) {
        snprintf(message, 256, "not PNG data (no PNG signature)");
        return CPNG_NOT_PNG;
    }
    context ctx = {message, bytes, count, 8, ""};
    return decode(NULL, &ctx, image);
}

int cpng_write_file(const char *path, const void *samples, int width, int height, int channels,
                    int bit_depth, char message[256]) {
    message[0] = 0;
    FILE *file = fopen(path, "wb");
    if (!file) {
        snprintf(message, 256, "cannot create: %s", strerror(errno));
        return CPNG_IO;
    }
    context ctx = {message, NULL, 0, 0, ""};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &ctx, on_error, on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    png_bytep *volatile rows = NULL;
    if (!info || setjmp(png_jmpbuf(png))) {
        free(rows);
        png_destroy_write_struct(&png, &info);
        fclose(file);
        if (!message[0]) snprintf(message, 256, "out of memory");
        return CPNG_IO;
    }
    png_init_io(png, file);
    int color = channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY;
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, bit_depth, color,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    if (bit_depth == 16) png_set_swap(png);
    size_t stride = (size_t)width * (size_t)channels * (size_t)(bit_depth / 8);
    rows = malloc(sizeof(png_bytep) * (size_t)height + 1);
    if (!rows) png_error(png, "out of memory");
    for (int y = 0; y < height; y++) rows[y] = (png_bytep)samples + stride * (size_t)y;
    png_write_image(png, rows);
    png_write_end(png, NULL);
    free(rows);
    png_destroy_write_struct(&png, &info);
    if (fclose(file) != 0) {
        snprintf(message, 256, "cannot write: %s", strerror(errno));
        return CPNG_IO;
    }
    return CPNG_OK;
}

void cpng_free(cpng_image *image) {
    free(image->samples);
    image->samples = NULL;
}

#include "CJPEG.h"

#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

// libjpeg calls error_exit on any fatal error; ours copies the message and longjmps back to the
// setjmp of the public function that started the work (a C frame), so no Swift frame is skipped.
typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    char *message;
} error_manager;

static void on_error_exit(j_common_ptr info) {
    error_manager *err = (error_manager *)info->err;
    char text[JMSG_LENGTH_MAX];
    (*info->err->format_message)(info, text);
    snprintf(err->message, 256, "%s", text);
    longjmp(err->jump, 1);
}

static void on_output_message(j_common_ptr info) { (void)info; }

static int decode(FILE *file, const unsigned char *bytes, size_t count, cjpeg_image *image, char *message) {
    struct jpeg_decompress_struct info;
    error_manager err;
    unsigned char *volatile samples = NULL;
    memset(image, 0, sizeof(*image));
    info.err = jpeg_std_error(&err.base);
    err.base.error_exit = on_error_exit;
    err.base.output_message = on_output_message;
    err.message = message;
    if (setjmp(err.jump)) {
        free(samples);
        jpeg_destroy_decompress(&info);
        return CJPEG_CORRUPT;
    }
    jpeg_create_decompress(&info);
    if (file) jpeg_stdio_src(&info, file);
    else jpeg_mem_src(&info, (unsigned char *)bytes, (unsigned long)count);
    jpeg_read_header(&info, TRUE);
    switch (info.jpeg_color_space) {
        case JCS_GRAYSCALE: info.out_color_space = JCS_GRAYSCALE; break;
        case JCS_YCbCr:
        case JCS_RGB: info.out_color_space = JCS_RGB; break;
        default:
            snprintf(message, 256, "unsupported JPEG colour space %d (only grayscale, YCbCr, RGB)",
                     (int)info.jpeg_color_space);
            jpeg_destroy_decompress(&info);
            return CJPEG_UNSUPPORTED;
    }
    jpeg_start_decompress(&info);
    size_t stride = (size_t)info.output_width * (size_t)info.output_components;
    samples = malloc(stride * info.output_height);
    if (!samples) {
        snprintf(message, 256, "out of memory");
        jpeg_destroy_decompress(&info);
        return CJPEG_IO;
    }
    while (info.output_scanline < info.output_height) {
        JSAMPROW row = samples + stride * info.output_scanline;
        jpeg_read_scanlines(&info, &row, 1);
    }
    jpeg_finish_decompress(&info);
    image->samples = samples;
    image->width = (int)info.output_width;
    image->height = (int)info.output_height;
    image->channels = info.output_components;
    jpeg_destroy_decompress(&info);
    return CJPEG_OK;
}

int cjpeg_read_file(const char *path, cjpeg_image *image, char *message) {
    FILE *file = fopen(path, "rb");
    if (!file) {
        snprintf(message, 256, "cannot open: %s", strerror(errno));
        memset(image, 0, sizeof(*image));
        return CJPEG_IO;
    }
    int status = decode(file, NULL, 0, image, message);
    fclose(file);
    return status;
}

int cjpeg_decode(const unsigned char *bytes, size_t count, cjpeg_image *image, char *message) {
    return decode(NULL, bytes, count, image, message);
}

int cjpeg_write_file(const char *path, const unsigned char *samples, int width, int height, int channels,
                     int quality, char *message) {
    struct jpeg_compress_struct info;
    error_manager err;
    FILE *volatile file = fopen(path, "wb");
    if (!file) {
        snprintf(message, 256, "cannot create: %s", strerror(errno));
        return CJPEG_IO;
    }
    info.err = jpeg_std_error(&err.base);
    err.base.error_exit = on_error_exit;
    err.base.output_message = on_output_message;
    err.message = message;
    if (setjmp(err.jump)) {
        jpeg_destroy_compress(&info);
        fclose(file);
        return CJPEG_IO;
    }
    jpeg_create_compress(&info);
    jpeg_stdio_dest(&info, file);
    info.image_width = (JDIMENSION)width;
    info.image_height = (JDIMENSION)height;
    info.input_components = channels;
    info.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, quality, TRUE);
    jpeg_start_compress(&info, TRUE);
    size_t stride = (size_t)width * (size_t)channels;
    while (info.next_scanline < info.image_height) {
        JSAMPROW row = (JSAMPROW)(samples + stride * info.next_scanline);
        jpeg_write_scanlines(&info, &row, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    if (fclose(file) != 0) {
        snprintf(message, 256, "cannot write: %s", strerror(errno));
        return CJPEG_IO;
    }
    return CJPEG_OK;
}

void cjpeg_free(cjpeg_image *image) {
    free(image->samples);
    image->samples = NULL;
}

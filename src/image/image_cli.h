/* Option helpers shared by the image commands. */
#ifndef BRIG_IMAGE_CLI_H
#define BRIG_IMAGE_CLI_H
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
/* "123", "10K", "512M", "16G", "1T" (binary units) -> bytes; false if invalid. */
bool image_parse_bytes(const char *s, uint64_t *out);
/* "1.5 MiB" style into buf. */
const char *image_human_bytes(uint64_t n, char *buf, size_t len);
#endif

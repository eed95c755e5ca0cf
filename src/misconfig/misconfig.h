/* Image misconfiguration checks (dockle / CIS Docker Benchmark section 4 and
 * brig's own BRIG-IMG-NNN): config (user, healthcheck, env, ports, labels),
 * history (ADD URL, package caches, base tag) and the merged filesystem
 * (setuid, world-writable, sensitive files). */
#ifndef BRIG_MISCONFIG_MISCONFIG_H
#define BRIG_MISCONFIG_MISCONFIG_H
#include "image/image.h"
#include "report/findings.h"

int brig_misconfig_scan_image(brig_image *img, brig_findings *out);
#endif

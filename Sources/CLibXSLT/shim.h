#ifndef CHUQING_CLIBXSLT_SHIM_H
#define CHUQING_CLIBXSLT_SHIM_H
/* See CLibXML2/shim.h: keep libxml2's ICU headers out, they clash with Foundation's ICU. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxslt/xslt.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/transform.h>
#include <libxslt/xsltutils.h>
#include <libxslt/security.h>
#include <libxslt/variables.h>
#include <libexslt/exslt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* libxslt reports a stylesheet's compile errors (with file and line) through a variadic callback,
 * which Swift cannot write. While a stylesheet compiles, collect them into the caller's buffer,
 * passed as the callback's context: CHUQING_XSLT_ERROR_SIZE bytes plus a final NUL that nothing
 * writes, so the text stays terminated even if two threads report at once. */
#define CHUQING_XSLT_ERROR_SIZE 8192
static void chuqing_xslt_collect(void *context, const char *format, ...) {
    char *text = (char *)context;
    size_t used = strlen(text);
    if (used >= CHUQING_XSLT_ERROR_SIZE - 1) return;
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(text + used, CHUQING_XSLT_ERROR_SIZE - used, format, arguments);
    va_end(arguments);
}
static inline void chuqing_xslt_collect_errors(char *buffer) {
    buffer[0] = 0;
    xsltSetGenericErrorFunc(buffer, chuqing_xslt_collect);
    xmlSetGenericErrorFunc(buffer, chuqing_xslt_collect);
}
static inline void chuqing_xslt_stop_collecting(void) {
    xsltSetGenericErrorFunc(NULL, NULL);
    xmlSetGenericErrorFunc(NULL, NULL);
}
#endif

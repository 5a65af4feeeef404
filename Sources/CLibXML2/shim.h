#ifndef CHUQING_CLIBXML2_SHIM_H
#define CHUQING_CLIBXML2_SHIM_H
/* Debian's libxml2 is built with ICU, and libxml/encoding.h then includes the system's
 * <unicode/ucnv.h>. Swift's Foundation carries its own ICU module with the same C names, and a
 * file (or batch) that sees both fails to compile. Chuqing never touches libxml2's ICU-specific
 * struct members (encoding handlers are used only through pointers), so leave them out. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlsave.h>

/* xmlFree is a C global function pointer, which Swift 6 treats as shared mutable state. */
static inline void chuqing_xmlFree(void *pointer) { xmlFree(pointer); }
#endif

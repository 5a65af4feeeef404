#ifndef CHUQING_CLIBXML2_SHIM_H
#define CHUQING_CLIBXML2_SHIM_H
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlsave.h>

/* xmlFree is a C global function pointer, which Swift 6 treats as shared mutable state. */
static inline void chuqing_xmlFree(void *pointer) { xmlFree(pointer); }
#endif

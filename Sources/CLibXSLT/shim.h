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
#include <libexslt/exslt.h>
#endif

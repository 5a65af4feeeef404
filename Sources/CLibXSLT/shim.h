#ifndef CHUQING_CLIBXSLT_SHIM_H
#define CHUQING_CLIBXSLT_SHIM_H
#include <libxslt/xslt.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/transform.h>
#include <libxslt/xsltutils.h>
#include <libxslt/security.h>
#include <libexslt/exslt.h>
#endif
